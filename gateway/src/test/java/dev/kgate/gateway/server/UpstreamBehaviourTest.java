package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.sim.cluster.RecordedRequest;
import dev.kgate.sim.cluster.SimCluster;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the gateway uses its upstream connections: HTTP/2 streams within the server's limit, timeouts. */
class UpstreamBehaviourTest {

  @TempDir static Path dir;
  static GatewayWorld world;
  static ServerSocket silent;
  static final List<Socket> accepted = new CopyOnWriteArrayList<>();
  static String token;

  @BeforeAll
  static void start() throws Exception {
    // An API server that accepts TCP and then says nothing: the TLS handshake can only time out.
    silent = new ServerSocket(0);
    Thread acceptor = new Thread(() -> {
      try {
        while (true) {
          accepted.add(silent.accept());
        }
      } catch (Exception closed) {
        // test over
      }
    }, "silent-apiserver");
    acceptor.setDaemon(true);
    acceptor.start();
    Path ca = dir.resolve("any-ca.crt");
    dev.kgate.sim.pki.TestPki.create("any").writeCaPem(ca);
    Files.writeString(dir.resolve("silent.token"), "t");
    SimCluster narrow = SimCluster.builder("narrow").maxConcurrentStreams(2).logInterval(Duration.ofMillis(200)).start();
    world = GatewayWorld.withClusters(dir, List.of(narrow), List.of(new GatewayConfig.Cluster("silent",
        URI.create("https://127.0.0.1:" + silent.getLocalPort()), ca, null,
        new GatewayConfig.Credentials.TokenFile(dir.resolve("silent.token")), Duration.ofMillis(700), Duration.ofSeconds(90))));
    token = world.tokenFor("alice@example.com", List.of("sre"));
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
    silent.close();
    for (Socket s : accepted) {
      s.close();
    }
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
  }

  @Test
  void anApiServerThatNeverAnswersTheHandshakeGives504() throws Exception {
    HttpResponse<String> response = client().send(HttpRequest.newBuilder(URI.create(world.url("silent", "/api/v1/pods")))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("cluster \\\"silent\\\"");
  }

  @Test
  void moreLongRequestsThanTheServerAllowsStreamsStillAllGoThroughOverHttp2() throws Exception {
    // The cluster allows 2 concurrent streams per connection; 5 concurrent logs -f must all flow.
    List<InputStream> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        HttpResponse<InputStream> response = client().send(HttpRequest.newBuilder(
                URI.create(world.url("narrow", "/api/v1/namespaces/payments/pods/ledger-0/log?follow=true")))
            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        streams.add(response.body());
      }
      for (InputStream in : streams) {
        byte[] first = in.readNBytes(10);
        assertThat(new String(first)).startsWith("ledger-0");
      }
      List<RecordedRequest> follows = world.cluster("narrow").requests().stream()
          .filter(r -> r.uri().contains("follow=true")).toList();
      assertThat(follows).hasSize(5).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("h2"));
    } finally {
      for (InputStream in : streams) {
        in.close();
      }
    }
    Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(world.cluster("narrow").openWatches()).isZero());
  }
}
