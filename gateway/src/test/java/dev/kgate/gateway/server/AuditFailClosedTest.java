package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit.failClosed} (the default): while the audit log cannot be written, an allowed
 * request is refused with 503 and nothing reaches the cluster. The audit directory's place is taken
 * by a regular file, which no user (root included) can create files in; permissions would not stop
 * root, which CI runs as.
 */
class AuditFailClosedTest {

  @TempDir Path dir;
  GatewayWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void anAuditLogThatStopsTakingWritesRefusesRequestsWith503AndForwardsNothing() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    String token = world.tokenFor("alice@example.com", List.of("sre"));
    assertThat(get(token).statusCode()).isEqualTo(200);

    // The disk goes away under the running gateway: the directory's place is taken by a file.
    Path audit = world.auditDir();
    Files.move(audit, dir.resolve("audit.gone"));
    Files.writeString(audit, "not a directory");
    await().atMost(Duration.ofSeconds(10)).until(() -> get(token).statusCode() == 503);
    world.cluster("alpha").clearRequests();

    HttpResponse<String> response = get(token);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"reason\":\"ServiceUnavailable\"").contains("audit log");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(world.cluster("alpha").requests()).as("nothing reached the cluster").isEmpty();

    // And once it takes writes again, requests flow again.
    Files.delete(audit);
    Files.move(dir.resolve("audit.gone"), audit);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(token).statusCode() == 200);
  }

  private HttpResponse<String> get(String token) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
    return client.send(HttpRequest.newBuilder(URI.create(world.url("alpha", "/api/v1/pods")))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aWritableAuditLogLetsTheSameRequestThrough() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    HttpResponse<String> response = get(world.tokenFor("alice@example.com", List.of("sre")));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(world.cluster("alpha").requests()).hasSize(1);
  }
}
