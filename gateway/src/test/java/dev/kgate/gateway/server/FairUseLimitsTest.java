package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.gateway.config.GatewayConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each fair-use limit, exceeded on purpose: the person over it gets 429 with {@code Retry-After}
 * and a message saying which limit; someone else is unaffected; the share comes back when the
 * person's requests end.
 */
class FairUseLimitsTest {

  @TempDir Path dir;
  GatewayWorld world;
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    if (world != null) {
      world.close();
    }
  }

  private HttpClient client() {
    return HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
  }

  private HttpResponse<String> get(HttpClient client, String token, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(world.url("alpha", path)))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Opens a watch and keeps it open until the test ends. */
  private void watch(HttpClient client, String token) throws Exception {
    HttpResponse<InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create(world.url("alpha", "/api/v1/namespaces/default/pods?watch=true")))
            .header("Authorization", "Bearer " + token).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    open.add(response.body());
  }

  private static void assertTooMany(HttpResponse<String> response, String words) {
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.body()).contains("\"reason\":\"TooManyRequests\"").contains(words);
    assertThat(response.headers().firstValue("Retry-After")).hasValueSatisfying(
        v -> assertThat(Long.parseLong(v)).isPositive());
  }

  @Test
  void aPersonOverTheRateGets429WhileAnotherPersonIsServed() throws Exception {
    world = GatewayWorld.withLimits(dir, new GatewayConfig.PerUser(1, 3, 100, 100), 1000, "alpha");
    String alice = world.tokenFor("alice@example.com", List.of("sre"));
    String bob = world.tokenFor("bob@example.com", List.of("dev"));
    HttpClient client = client();

    for (int i = 0; i < 3; i++) {
      assertThat(get(client, alice, "/api/v1/pods").statusCode()).as("request %d of the burst", i + 1).isEqualTo(200);
    }
    assertTooMany(get(client, alice, "/api/v1/pods"), "faster than kgate allows");
    assertThat(get(client, bob, "/api/v1/pods").statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> get(client, alice, "/api/v1/pods").statusCode() == 200);
  }

  @Test
  void tooManyRequestsInFlightGet429UntilOneEnds() throws Exception {
    world = GatewayWorld.withLimits(dir, new GatewayConfig.PerUser(1000, 1000, 2, 100), 1000, "alpha");
    String alice = world.tokenFor("alice@example.com", List.of("sre"));
    String bob = world.tokenFor("bob@example.com", List.of("dev"));
    HttpClient client = client();
    watch(client, alice);
    watch(client, alice);

    assertTooMany(get(client, alice, "/api/v1/pods"), "requests in flight");
    assertThat(get(client, bob, "/api/v1/pods").statusCode()).isEqualTo(200);

    open.remove(0).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> get(client, alice, "/api/v1/pods").statusCode() == 200);
  }

  @Test
  void tooManyOpenStreamsGet429WhilePlainRequestsStillWork() throws Exception {
    world = GatewayWorld.withLimits(dir, new GatewayConfig.PerUser(1000, 1000, 100, 1), 1000, "alpha");
    String alice = world.tokenFor("alice@example.com", List.of("sre"));
    HttpClient client = client();
    watch(client, alice);

    assertTooMany(get(client, alice, "/api/v1/namespaces/default/pods?watch=true"), "sessions open");
    assertThat(get(client, alice, "/api/v1/pods").statusCode()).isEqualTo(200);
  }

  @Test
  void connectionsOverTheGatewaysLimitGet429AndAreDropped() throws Exception {
    world = GatewayWorld.withLimits(dir, GatewayConfig.PerUser.DEFAULTS, 2, "alpha");
    String alice = world.tokenFor("alice@example.com", List.of("sre"));
    List<SSLSocket> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      SSLSocket socket = (SSLSocket) world.pki.jdkClientContext(null).getSocketFactory()
          .createSocket("127.0.0.1", world.gateway.port());
      socket.startHandshake();
      held.add(socket);
      open.add(socket);
    }

    assertTooMany(get(client(), alice, "/api/v1/pods"), "as many connections as it allows");

    held.get(0).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> get(client(), alice, "/api/v1/pods").statusCode() == 200);
  }
}
