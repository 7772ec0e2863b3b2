package dev.kgate.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The front of a simulated cluster with a plain HTTP client: authentication, test endpoints, glue. */
class SimFrontTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SimCluster cluster;
  private static HttpClient h2;
  private static HttpClient h1;

  @BeforeAll
  static void start() {
    cluster = SimCluster.start("front");
    h2 = HttpClient.newBuilder().sslContext(cluster.pki().jdkClientContext(null)).build();
    h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .sslContext(cluster.pki().jdkClientContext(null)).build();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(WAIT);
  }

  private static HttpRequest.Builder authorized(String path) {
    return request(path).header("Authorization", "Bearer " + cluster.gatewayToken());
  }

  @Test
  void aRequestWithoutTheGatewayCredentialGetsA401Status() throws Exception {
    HttpResponse<String> response = h2.send(request("/api/v1/namespaces").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode status = Json.MAPPER.readTree(response.body());
    assertThat(status.path("kind").stringValue()).isEqualTo("Status");
    assertThat(status.path("apiVersion").stringValue()).isEqualTo("v1");
    assertThat(status.path("status").stringValue()).isEqualTo("Failure");
    assertThat(status.path("reason").stringValue()).isEqualTo("Unauthorized");
    assertThat(status.path("code").intValue()).isEqualTo(401);
    assertThat(status.has("metadata")).isTrue();
  }

  @Test
  void aWrongTokenIsRefusedLikeNone() throws Exception {
    HttpResponse<String> response = h1.send(
        request("/version").header("Authorization", "Bearer " + cluster.gatewayToken() + "x").build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void aClientCertificateFromTheClusterCaIsAcceptedWithoutToken() throws Exception {
    HttpClient withCertificate = HttpClient.newBuilder()
        .sslContext(cluster.pki().jdkClientContext(cluster.issueGatewayClientCertificate())).build();

    HttpResponse<String> response = withCertificate.send(request("/version").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(response.body()).path("gitVersion").stringValue()).startsWith("v1.32");
  }

  @Test
  void recordedRequestsKeepRepeatedHeaderLinesApart() throws Exception {
    for (HttpClient client : new HttpClient[] {h1, h2}) {
      String marker = "/api/v1/namespaces/payments/pods?marker=" + client.version();
      client.send(authorized(marker)
              .header("Impersonate-User", "alice")
              .header("Impersonate-Group", "sre")
              .header("Impersonate-Group", "dev, ops")
              .build(),
          HttpResponse.BodyHandlers.discarding());

      RecordedRequest recorded = cluster.awaitRequest(r -> r.uri().equals(marker), WAIT);
      assertThat(recorded.headers("IMPERSONATE-GROUP")).as("two lines, in order, over " + recorded.protocol())
          .containsExactly("sre", "dev, ops");
      assertThat(recorded.header("impersonate-user")).isEqualTo("alice");
      assertThat(recorded.method()).isEqualTo("GET");
      assertThat(recorded.bodySize()).isZero();
    }
  }

  @Test
  void simBytesStreamsExactlyTheRequestedPattern() throws Exception {
    long size = 8L * 1024 * 1024 + 123;
    for (String query : new String[] {"", "&chunked=false"}) {
      HttpResponse<InputStream> response = h1.send(authorized("/sim/bytes?size=" + size + query).build(),
          HttpResponse.BodyHandlers.ofInputStream());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
      assertThat(response.headers().firstValue("content-length").isPresent()).as("Content-Length with " + query)
          .isEqualTo(!query.isEmpty());
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long received = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          for (int i = 0; i < n; i++) {
            if (buffer[i] != SimBytes.byteAt(received + i)) {
              throw new AssertionError("byte " + (received + i) + " differs from the pattern");
            }
          }
          sha.update(buffer, 0, n);
          received += n;
        }
      }
      assertThat(received).isEqualTo(size);
      assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(SimBytes.sha256(size));
    }
  }

  @Test
  void simSinkCountsAndHashesAStreamedUpload() throws Exception {
    long size = 3L * 1024 * 1024 + 7;
    for (HttpClient client : new HttpClient[] {h1, h2}) {
      String uri = "/sim/sink?via=" + client.version();
      HttpResponse<String> response = client.send(authorized(uri)
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(size))).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = Json.MAPPER.readTree(response.body());
      assertThat(body.path("bytes").longValue()).isEqualTo(size);
      assertThat(body.path("sha256").stringValue()).isEqualTo(SimBytes.sha256(size));
      RecordedRequest recorded = cluster.awaitRequest(r -> r.uri().equals(uri), WAIT);
      assertThat(recorded.bodySize()).isEqualTo(size);
    }
  }

  @Test
  void simSinkRequiresTheGatewayCredentialToo() throws Exception {
    HttpResponse<String> response = h1.send(request("/sim/sink")
        .PUT(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void aggregatedDiscoveryIsServedWhenAskedForEvenWithAQueryString() throws Exception {
    HttpResponse<String> response = h2.send(authorized("/apis?timeout=32s")
            .header("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValue("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
    JsonNode list = Json.MAPPER.readTree(response.body());
    assertThat(list.path("kind").stringValue()).isEqualTo("APIGroupDiscoveryList");
    assertThat(list.path("items").findValuesAsString("name")).contains("apps", "rbac.authorization.k8s.io");
  }

  @Test
  void plainJsonDiscoveryIsServedWhenThatIsWhatIsAccepted() throws Exception {
    HttpResponse<String> api = h2.send(authorized("/api").header("Accept", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> v1 = h2.send(authorized("/api/v1?timeout=32s").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(Json.MAPPER.readTree(api.body()).path("kind").stringValue()).isEqualTo("APIVersions");
    JsonNode resources = Json.MAPPER.readTree(v1.body());
    assertThat(resources.path("kind").stringValue()).isEqualTo("APIResourceList");
    assertThat(resources.path("resources").findValuesAsString("name")).contains("pods", "pods/exec", "pods/log", "secrets");
  }

  @Test
  void aListOfPodsIsAPodList() throws Exception {
    HttpResponse<String> response = h2.send(authorized("/api/v1/namespaces/payments/pods").build(),
        HttpResponse.BodyHandlers.ofString());

    JsonNode list = Json.MAPPER.readTree(response.body());
    assertThat(list.path("kind").stringValue()).isEqualTo("PodList");
    assertThat(list.path("items").findValuesAsString("name")).contains(SimSeed.SIDECAR_POD);
  }

  /** The {@link SimBytes} pattern as an input stream, generated as it is read. */
  private static final class PatternStream extends InputStream {
    private final long size;
    private long position;

    PatternStream(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return position < size ? SimBytes.byteAt(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = SimBytes.byteAt(position++);
      }
      return n;
    }
  }
}
