package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.sim.cluster.SimCluster;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener after real traffic through the gateway: {@code /metrics} counts each request
 * with the right labels, times forwarded ones, shows open watches; {@code /readyz} turns 503 when
 * the audit log stops taking writes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminEndpointsTest {

  @TempDir static Path dir;
  static GatewayWorld world;
  static String token;
  static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    token = world.tokenFor("alice@example.com", List.of("sre"));
    client = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void clear() {
    world.clusters.values().forEach(SimCluster::clearRequests);
  }

  private static HttpResponse<String> gateway(String cluster, String path, String bearer, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.url(cluster, path))).timeout(Duration.ofSeconds(20));
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> admin(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + world.gateway.adminAddress().orElseThrow().getPort() + path);
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(5)
  void readyzFailsWhileTheIdentityProvidersKeysAreNotLoaded(@TempDir Path other) throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    IssuerSettings down = new IssuerSettings(URI.create("https://127.0.0.1:" + closedPort + "/kgate"),
        List.of("kubernetes"), "kgate", IssuerSettings.DEFAULT_ALGORITHMS, Duration.ofSeconds(30),
        new IssuerSettings.ClaimMapping("email", "", "groups", ""), dir.resolve("idp-ca.crt"));
    GatewayConfig config = new GatewayConfig(world.config.listen(), List.of(down), world.config.clusters(),
        world.config.limits(), new GatewayConfig.Audit(other.resolve("audit"), true,
            ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL, ConfigLoader.DEFAULT_AUDIT_RETENTION, null),
        null, new GatewayConfig.Admin("127.0.0.1", 0));
    try (GatewayServer gateway = GatewayServer.start(config)) {
      URI readyz = URI.create("http://127.0.0.1:" + gateway.adminAddress().orElseThrow().getPort() + "/readyz");
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("[-]oidc-keys failed").contains("127.0.0.1:" + closedPort)
          .contains("[+]audit ok");
    }
  }

  @Test
  @Order(6)
  void readyzFailsOnlyWhenNoClusterIsReachable(@TempDir Path other) throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    GatewayConfig.Cluster down = new GatewayConfig.Cluster("down", URI.create("https://127.0.0.1:" + closedPort),
        dir.resolve("alpha-ca.crt"), null, new GatewayConfig.Credentials.TokenFile(dir.resolve("alpha.token")),
        Duration.ofSeconds(2), Duration.ofSeconds(90));
    GatewayConfig onlyDown = new GatewayConfig(world.config.listen(), world.config.issuers(), List.of(down),
        world.config.limits(), new GatewayConfig.Audit(other.resolve("audit"), true,
            ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL, ConfigLoader.DEFAULT_AUDIT_RETENTION, null),
        null, new GatewayConfig.Admin("127.0.0.1", 0));
    try (GatewayServer gateway = GatewayServer.start(onlyDown)) {
      URI readyz = URI.create("http://127.0.0.1:" + gateway.adminAddress().orElseThrow().getPort() + "/readyz?verbose");
      await().atMost(Duration.ofSeconds(10)).until(() -> HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      assertThat(HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build().send(
          HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + "/clusters/down/api/v1/pods"))
              .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(503);

      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).contains("[-]clusters failed: no cluster was reachable").contains("down");
    }
    assertThat(admin("/readyz?verbose").body()).as("a gateway whose clusters answer")
        .contains("[+]clusters ok");
  }

  /** The value of one sample line, e.g. {@code kgate_requests_total{cluster="alpha",…}}, or -1. */
  private static double sample(String metrics, String name, String... labels) {
    for (String line : metrics.lines().toList()) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        Matcher m = Pattern.compile(" ([0-9.eE+-]+)$").matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
    }
    return -1;
  }

  @Test
  @Order(1)
  void healthzAnswersOkAndUnknownPathsAre404() throws Exception {
    assertThat(admin("/healthz").statusCode()).isEqualTo(200);
    assertThat(admin("/healthz").body()).isEqualTo("ok\n");
    assertThat(admin("/api/v1/pods").statusCode()).isEqualTo(404);
  }

  @Test
  @Order(2)
  void metricsCountEachRequestWithItsClusterVerbCodeAndDecision() throws Exception {
    assertThat(gateway("alpha", "/api/v1/namespaces/payments/pods", token).statusCode()).isEqualTo(200);
    assertThat(gateway("alpha", "/api/v1/namespaces/payments/pods", token).statusCode()).isEqualTo(200);
    assertThat(gateway("alpha", "/api/v1/namespaces/payments/pods", null).statusCode()).isEqualTo(401);
    assertThat(gateway("alpha", "/api/v1/namespaces/payments/pods", "not-a-jwt").statusCode()).isEqualTo(401);
    assertThat(gateway("made-up-name", "/api/v1/pods", token).statusCode()).isEqualTo(403);
    assertThat(gateway("alpha", "/api/v1/pods", token, "Impersonate-User", "admin").statusCode()).isEqualTo(403);

    String metrics = admin("/metrics").body();

    assertThat(admin("/metrics").headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    assertThat(sample(metrics, "kgate_requests_total",
        "cluster=\"alpha\"", "code=\"200\"", "decision=\"allow\"", "verb=\"list\"")).isEqualTo(2.0);
    assertThat(sample(metrics, "kgate_requests_total",
        "cluster=\"none\"", "code=\"401\"", "decision=\"unauthenticated\"")).isEqualTo(2.0);
    assertThat(sample(metrics, "kgate_requests_total", "cluster=\"unknown\"", "code=\"403\"", "decision=\"deny\""))
        .as("a made-up cluster name never becomes a label value").isEqualTo(1.0);
    assertThat(metrics).doesNotContain("made-up-name");
    assertThat(sample(metrics, "kgate_authentication_failures_total", "reason=\"MISSING_TOKEN\"")
        + sample(metrics, "kgate_authentication_failures_total", "reason=\"MALFORMED_TOKEN\""))
        .as("%s", metrics.lines().filter(l -> l.startsWith("kgate_authentication")).toList()).isEqualTo(2.0);
    assertThat(sample(metrics, "kgate_upstream_request_duration_seconds_count", "cluster=\"alpha\""))
        .isEqualTo(2.0);
    assertThat(metrics).containsPattern("kgate_upstream_request_duration_seconds_bucket\\{cluster=\"alpha\",le=\"[0-9.]+\"\\}");
    assertThat(sample(metrics, "kgate_audit_writable")).isEqualTo(1.0);
    // The audit writer commits in windows: the first one may still be open when we scrape.
    await().atMost(Duration.ofSeconds(10)).until(
        () -> sample(admin("/metrics").body(), "kgate_audit_commit_seconds_count") > 0.0);
  }

  @Test
  @Order(3)
  void anOpenWatchIsCountedWhileItRuns() throws Exception {
    HttpRequest watch = HttpRequest.newBuilder(URI.create(world.url("alpha", "/api/v1/namespaces/default/pods?watch=true")))
        .header("Authorization", "Bearer " + token).build();
    CompletableFuture<HttpResponse<InputStream>> running = client.sendAsync(watch, HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response = running.get();
    try {
      assertThat(response.statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(10)).until(
          () -> sample(admin("/metrics").body(), "kgate_open_streams", "kind=\"watch\"") == 1.0);
    } finally {
      response.body().close();
    }
    await().atMost(Duration.ofSeconds(10)).until(
        () -> sample(admin("/metrics").body(), "kgate_open_streams", "kind=\"watch\"") == 0.0);
  }

  @Test
  @Order(4)
  void readyzFailsWhileTheAuditLogCannotBeWrittenAndRecovers() throws Exception {
    assertThat(admin("/readyz").statusCode()).isEqualTo(200);
    assertThat(admin("/readyz?verbose").body()).contains("[+]audit ok").contains("[+]oidc-keys ok");
    String metrics = admin("/metrics").body();
    assertThat(sample(metrics, "kgate_oidc_keys_loaded")).isEqualTo(1.0);
    assertThat(sample(metrics, "kgate_oidc_keys_last_fetch_seconds", "issuer=\"" + world.idp.issuer() + "\""))
        .as("the last key fetch is a recent Unix time")
        .isBetween(java.time.Instant.now().getEpochSecond() - 600.0, java.time.Instant.now().getEpochSecond() + 1.0);

    Path audit = world.auditDir();
    Files.move(audit, dir.resolve("audit.gone"));
    Files.writeString(audit, "not a directory");
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> admin("/readyz").statusCode() == 503);
      assertThat(admin("/readyz").body()).contains("[-]audit failed: the audit log cannot be written");
    } finally {
      Files.delete(audit);
      Files.move(dir.resolve("audit.gone"), audit);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> admin("/readyz").statusCode() == 200);
  }
}
