package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.sim.cluster.RecordedRequest;
import dev.kgate.sim.cluster.SimCluster;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole gateway on an ephemeral port, in front of two simulated clusters, over real TLS. */
class GatewayForwardingTest {

  @TempDir static Path dir;
  static GatewayWorld world;
  static String aliceToken;

  @BeforeAll
  static void start() throws Exception {
    Path wrongCa = dir.resolve("wrong-ca.crt");
    dev.kgate.sim.pki.TestPki.create("not-the-cluster-ca").writeCaPem(wrongCa);
    Files.writeString(dir.resolve("any.token"), "t");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    world = GatewayWorld.start(dir, List.of("alpha", "beta"), List.of(
        new GatewayConfig.Cluster("down", URI.create("https://127.0.0.1:" + closedPort), wrongCa, null,
            new GatewayConfig.Credentials.TokenFile(dir.resolve("any.token")), Duration.ofSeconds(2), Duration.ofSeconds(90))));
    aliceToken = world.tokenFor("alice@example.com", List.of("sre", "ops team"));
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

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(world.pki.jdkClientContext(null))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<String> get(HttpClient.Version version, String cluster, String path, String token,
      String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(world.url(cluster, path))).timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client(version).send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(value = HttpClient.Version.class)
  void aRequestReachesTheClusterWithTheGatewaysCredentialAndTheImpersonatedIdentity(HttpClient.Version version) throws Exception {
    HttpResponse<String> response = get(version, "alpha", "/api/v1/namespaces/payments/pods", aliceToken,
        "X-Remote-User", "admin", "X-Forwarded-For", "6.6.6.6", "Accept", "application/json");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.version()).isEqualTo(version);
    assertThat(response.body()).contains("\"kind\":\"PodList\"");
    String auditId = response.headers().firstValue("Audit-Id").orElseThrow();

    RecordedRequest upstream = world.cluster("alpha").awaitRequest(
        r -> r.uri().equals("/api/v1/namespaces/payments/pods"), Duration.ofSeconds(5));
    assertThat(upstream.headers("Authorization")).as("only the gateway's own credential")
        .containsExactly("Bearer " + world.cluster("alpha").gatewayToken());
    assertThat(upstream.headers("Impersonate-User")).containsExactly("alice@example.com");
    assertThat(upstream.headers("Impersonate-Group")).as("one line per group")
        .containsExactly("sre", "ops team", "system:authenticated");
    assertThat(upstream.headers("X-Remote-User")).as("client identity headers are dropped").isEmpty();
    assertThat(upstream.headers("X-Forwarded-For")).as("the gateway's view of the client, not the client's claim")
        .containsExactly("127.0.0.1");
    assertThat(upstream.headers("Audit-Id")).containsExactly(auditId);
    assertThat(upstream.headerLines()).as("the user's token never leaves the gateway")
        .noneMatch(h -> h.value().contains(aliceToken));
    assertThat(world.cluster("beta").requests()).as("the other cluster saw nothing").isEmpty();
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(value = HttpClient.Version.class)
  void aClientSentImpersonationHeaderIsRefusedAndNothingIsForwarded(HttpClient.Version version) throws Exception {
    HttpResponse<String> response = get(version, "alpha", "/api/v1/namespaces/payments/pods", aliceToken,
        "Impersonate-User", "system:admin");

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("impersonation");
    assertThat(world.cluster("alpha").requests()).isEmpty();
  }

  @Test
  void anUnknownClusterLooksExactlyLikeAForbiddenOne() throws Exception {
    HttpResponse<String> unknown = get(HttpClient.Version.HTTP_2, "nope", "/api/v1/pods", aliceToken);

    assertThat(unknown.statusCode()).isEqualTo(403);
    assertThat(unknown.body()).contains("\"reason\":\"Forbidden\"").contains("may not use cluster \\\"nope\\\"");
    world.clusters.values().forEach(c -> assertThat(c.requests()).isEmpty());
  }

  @Test
  void withoutATokenTheAnswerIs401AndSaysHowToGetOne() throws Exception {
    HttpResponse<String> response = get(HttpClient.Version.HTTP_2, "alpha", "/api/v1/pods", null);

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("kgate login");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(world.cluster("alpha").requests()).isEmpty();
  }

  @Test
  void anUnreachableClusterGives503NamingIt() throws Exception {
    HttpResponse<String> response = get(HttpClient.Version.HTTP_2, "down", "/api/v1/pods", aliceToken);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("cluster \\\"down\\\" is unavailable");
  }

  @Test
  void aClusterWhoseCertificateIsNotTrustedGives502() throws Exception {
    Path wrongCa = dir.resolve("wrong-ca.crt");
    Files.writeString(dir.resolve("beta-wrong.token"), "x");
    Path otherDir = Files.createDirectories(dir.resolve("w2"));
    try (GatewayWorld other = GatewayWorld.start(otherDir, List.of(), List.of(new GatewayConfig.Cluster("beta", URI.create(world.cluster("beta").url()), wrongCa, null,
            new GatewayConfig.Credentials.TokenFile(dir.resolve("beta-wrong.token")), Duration.ofSeconds(2), Duration.ofSeconds(90))))) {
      String token = other.tokenFor("alice@example.com", List.of());
      HttpClient trustingOther = HttpClient.newBuilder().sslContext(other.pki.jdkClientContext(null)).build();
      HttpResponse<String> response = trustingOther.send(
          HttpRequest.newBuilder(URI.create(other.url("beta", "/api/v1/pods"))).header("Authorization", "Bearer " + token).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(502);
      assertThat(response.body()).contains("TLS").contains("not trusted");
      assertThat(world.cluster("beta").requests()).as("no request crossed an untrusted connection").isEmpty();
    }
  }

  @ParameterizedTest(name = "over {0}")
  @EnumSource(value = HttpClient.Version.class)
  void largeResponsesAndUploadsStreamThroughIntact(HttpClient.Version version) throws Exception {
    long size = 30L * 1024 * 1024;
    HttpResponse<InputStream> download = client(version).send(HttpRequest.newBuilder(
            URI.create(world.url("alpha", "/sim/bytes?size=" + size))).header("Authorization", "Bearer " + aliceToken).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long received = 0;
    try (InputStream in = download.body()) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
        received += n;
      }
    }
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(received).isEqualTo(size);

    byte[] upload = new byte[7 * 1024 * 1024 + 13];
    new java.util.Random(42).nextBytes(upload);
    HttpResponse<String> sink = client(version).send(HttpRequest.newBuilder(URI.create(world.url("alpha", "/sim/sink")))
            .header("Authorization", "Bearer " + aliceToken).POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(sink.statusCode()).as(sink.body()).isEqualTo(200);
    assertThat(sink.body()).contains("\"bytes\":" + upload.length)
        .contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)));
  }
}
