package dev.kgate.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Watch streams on the wire, read with a plain client: framing, filters, timeouts, bookmarks. */
class WatchStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SimCluster cluster;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    cluster = SimCluster.builder("watch").bookmarkInterval(Duration.ofMillis(200)).start();
    client = HttpClient.newBuilder().sslContext(cluster.pki().jdkClientContext(null)).build();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static HttpResponse<InputStream> open(String uri) throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(cluster.url() + uri))
            .header("Authorization", "Bearer " + cluster.gatewayToken())
            .timeout(WAIT)
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    return response;
  }

  /** Reads events until the server ends the stream. */
  private static List<JsonNode> readAll(HttpResponse<InputStream> response) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        events.add(Json.MAPPER.readTree(line));
      }
    }
    return events;
  }

  private static List<String> describe(List<JsonNode> events) {
    return events.stream()
        .map(e -> e.path("type").stringValue() + " " + e.path("object").path("metadata").path("name").stringValue(""))
        .toList();
  }

  @Test
  void withoutAResourceVersionExistingObjectsComeFirstAndTimeoutSecondsEndsTheStream() throws Exception {
    List<JsonNode> events = readAll(open("/api/v1/namespaces/payments/pods?watch=true&timeoutSeconds=1"));

    assertThat(describe(events)).containsExactlyInAnyOrder(
        "ADDED " + SimSeed.SIDECAR_POD, "ADDED " + SimSeed.SINGLE_CONTAINER_POD);
    assertThat(events.get(0).path("object").path("kind").stringValue()).isEqualTo("Pod");
  }

  @Test
  void changesAfterTheGivenResourceVersionAreStreamedFilteredByName() throws Exception {
    JsonNode list = Json.MAPPER.readTree(client.send(
        HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/dev-team/pods"))
            .header("Authorization", "Bearer " + cluster.gatewayToken()).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    String rv = list.path("metadata").path("resourceVersion").stringValue();

    cluster.createPod("dev-team", "other");
    cluster.createPod("dev-team", "chosen");
    cluster.deletePod("dev-team", "chosen");
    List<JsonNode> events = readAll(open("/api/v1/namespaces/dev-team/pods?watch=1&timeoutSeconds=1"
        + "&fieldSelector=metadata.name%3Dchosen&resourceVersion=" + rv));

    assertThat(describe(events)).as("replayed from the watch history, only the chosen pod")
        .containsExactly("ADDED chosen", "DELETED chosen");
    long added = Json.resourceVersion(events.get(0).path("object"));
    long deleted = Json.resourceVersion(events.get(1).path("object"));
    assertThat(deleted).as("a deletion carries a newer resource version").isGreaterThan(added);
  }

  @Test
  void bookmarksComeOnlyWhenAskedFor() throws Exception {
    List<String> withBookmarks = describe(readAll(open(
        "/api/v1/namespaces/kube-system/pods?watch=true&timeoutSeconds=1&resourceVersion=1&allowWatchBookmarks=true")));
    List<String> without = describe(readAll(open(
        "/api/v1/namespaces/kube-system/pods?watch=true&timeoutSeconds=1&resourceVersion=1")));

    assertThat(withBookmarks).contains("BOOKMARK ");
    assertThat(without).doesNotContain("BOOKMARK ");
  }

  @Test
  void aLegacyWatchPathStreamsToo() throws Exception {
    List<JsonNode> events = readAll(open("/api/v1/watch/namespaces/payments/secrets?timeoutSeconds=1"));

    assertThat(describe(events)).containsExactly("ADDED " + SimSeed.PAYMENTS_SECRET);
  }

  @Test
  void aWatchTheClientAbandonsIsUnsubscribed() throws Exception {
    int before = cluster.openWatches();
    HttpResponse<InputStream> response = open("/api/v1/namespaces/default/pods?watch=true");
    await().atMost(WAIT).until(() -> cluster.openWatches() == before + 1);

    response.body().close();

    await().atMost(WAIT).until(() -> cluster.openWatches() == before);
  }
}
