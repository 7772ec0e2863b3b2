package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit.webhook} configured: the event of a request through the gateway reaches the
 * receiver as an {@code audit.k8s.io/v1} {@code EventList}, under the request's Audit-Id.
 */
class AuditWebhookTest {

  @TempDir Path dir;
  GatewayWorld world;
  HttpServer receiver;

  @AfterEach
  void stop() {
    if (receiver != null) {
      receiver.stop(0);
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  void aRequestsAuditEventIsPostedToTheWebhookAsAnEventList() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/audit", exchange -> {
      bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    receiver.start();
    world = GatewayWorld.start(dir, "alpha");
    GatewayConfig base = world.config;
    GatewayConfig withWebhook = new GatewayConfig(base.listen(), base.issuers(), base.clusters(), base.limits(),
        new GatewayConfig.Audit(dir.resolve("audit2"), true, ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL,
            ConfigLoader.DEFAULT_AUDIT_RETENTION, null, new GatewayConfig.Webhook(
                URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/audit"), null, null, 100,
                Duration.ofMillis(100), dir.resolve("spool"), 16L * 1024 * 1024)),
        null);

    try (GatewayServer gateway = GatewayServer.start(withWebhook)) {
      HttpResponse<String> response = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build()
          .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + "/clusters/alpha/api/v1/pods"))
              .header("Authorization", "Bearer " + world.tokenFor("alice@example.com", List.of("sre"))).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      String auditId = response.headers().firstValue("Audit-Id").orElseThrow();

      await().atMost(Duration.ofSeconds(15)).until(() -> bodies.stream().anyMatch(b -> b.contains(auditId)));
      String body = bodies.stream().filter(b -> b.contains(auditId)).findFirst().orElseThrow();
      assertThat(body).contains("\"kind\":\"EventList\"").contains("\"apiVersion\":\"audit.k8s.io/v1\"")
          .contains("\"alice@example.com\"").doesNotContain("Bearer");
    }
  }
}
