package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.sim.junit.LeakDetectionExtension;
import dev.kgate.sim.pki.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * API servers turn requests away on purpose (a GOAWAY or REFUSED_STREAM on HTTP/2, a keep-alive
 * connection closed as a request arrives on HTTP/1.1). The gateway sends such a request once more
 * on another connection when that cannot do harm, instead of answering 502: always when the server
 * said it did not process it, for GET otherwise, never for a second time, never a request that may
 * have been processed.
 */
@ExtendWith(LeakDetectionExtension.class)
class UpstreamRetryTest {

  @TempDir static Path dir;
  static final Map<String, RefusingUpstream> upstreams = new LinkedHashMap<>();
  static GatewayWorld world;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = TestPki.create("refusing upstream CA");
    Path ca = dir.resolve("refusing-ca.crt");
    pki.writeCaPem(ca);
    Files.writeString(dir.resolve("upstream.token"), "gateway-token");
    upstreams.put("h2-refuses-once", new RefusingUpstream(pki, true, 1));
    upstreams.put("h1-closes-once", new RefusingUpstream(pki, false, 1));
    upstreams.put("h1-closes-once-on-delete", new RefusingUpstream(pki, false, 1));
    upstreams.put("h1-closes-twice", new RefusingUpstream(pki, false, 2));
    List<GatewayConfig.Cluster> clusters = new ArrayList<>();
    upstreams.forEach((name, upstream) -> clusters.add(new GatewayConfig.Cluster(name,
        URI.create("https://127.0.0.1:" + upstream.port()), ca, null,
        new GatewayConfig.Credentials.TokenFile(dir.resolve("upstream.token")), Duration.ofSeconds(2),
        Duration.ofSeconds(90))));
    world = GatewayWorld.start(dir, List.of(), clusters);
    token = world.tokenFor("alice@example.com", List.of("sre"));
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
    upstreams.values().forEach(RefusingUpstream::close);
  }

  @Test
  void aRequestRefusedUnprocessedOverHttp2IsSentAgainWhateverItsMethod() throws Exception {
    HttpResponse<String> response = send("h2-refuses-once", "DELETE", "/api/v1/namespaces/default/pods/web");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(RefusingUpstream.BODY);
    assertThat(upstreams.get("h2-refuses-once").received).hasValue(2);
  }

  @Test
  void aGetWhoseConnectionClosedBeforeAnyAnswerIsSentAgain() throws Exception {
    HttpResponse<String> response = send("h1-closes-once", "GET", "/api/v1/namespaces/default/pods");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(upstreams.get("h1-closes-once").received).hasValue(2);
  }

  @Test
  void aDeleteThatMayHaveBeenProcessedIsNotSentAgain() throws Exception {
    HttpResponse<String> response = send("h1-closes-once-on-delete", "DELETE", "/api/v1/namespaces/default/pods/web");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("h1-closes-once-on-delete");
    assertThat(upstreams.get("h1-closes-once-on-delete").received).hasValue(1);
  }

  @Test
  void aRequestIsSentAgainOnlyOnce() throws Exception {
    HttpResponse<String> response = send("h1-closes-twice", "GET", "/api/v1/namespaces/default/pods");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(upstreams.get("h1-closes-twice").received).hasValue(2);
  }

  private static HttpResponse<String> send(String cluster, String method, String path) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null))
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(world.url(cluster, path)))
        .timeout(Duration.ofSeconds(20))
        .header("Authorization", "Bearer " + token)
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
