package dev.kgate.sim.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.sim.stream.SpdyTestClient.Event;
import dev.kgate.sim.stream.SpdyTestClient.Kind;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PortForwardTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String PATH = "/api/v1/namespaces/default/pods/web/portforward";
  private static final String GET = "GET /hello HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: curl\r\n\r\n";

  private static EventLoopGroup group;
  private static StreamTestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    server = new StreamTestServer(group, new PodStreams(Clock.systemUTC(), Duration.ZERO));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static SpdyTestClient spdy() throws Exception {
    SpdyTestClient client = SpdyTestClient.connect(group, server.port(), PATH, List.of("portforward.k8s.io"));
    assertThat(client.upgrade().status()).as("upgrade status").isEqualTo(101);
    assertThat(client.upgrade().headers().get("X-Stream-Protocol-Version")).as("protocol")
        .isEqualTo("portforward.k8s.io");
    return client;
  }

  private static SpdyTestClient tunnel(int messageSize) throws Exception {
    SpdyTestClient client = SpdyTestClient.connectTunnel(group, server.port(), PATH, messageSize);
    assertThat(client.upgrade().body()).as("negotiated subprotocol").isEqualTo("SPDY/3.1+portforward.k8s.io");
    return client;
  }

  /** Opens the error and data streams of one forwarded connection, as kubectl does. */
  private record Forward(int error, int data) {}

  private static Forward forward(SpdyTestClient client, int port, int requestId) throws InterruptedException {
    String id = Integer.toString(requestId);
    int error = client.open(Map.of("streamtype", "error", "port", Integer.toString(port), "requestid", id), false);
    assertThat(client.awaitReply(error)).as("reply to the error stream").isNotNull();
    client.data(error, new byte[0], true);
    int data = client.open(Map.of("streamtype", "data", "port", Integer.toString(port), "requestid", id), false);
    assertThat(client.awaitReply(data)).as("reply to the data stream").isNotNull();
    return new Forward(error, data);
  }

  private static void echoesBothWays(SpdyTestClient client, int size) throws InterruptedException {
    Forward forward = forward(client, 9000, 0);
    byte[] payload = new byte[size];
    new Random(11).nextBytes(payload);
    client.data(forward.data(), payload, false);
    assertThat(client.read(forward.data(), payload.length, WAIT)).as("echoed bytes").isEqualTo(payload);

    client.data(forward.data(), new byte[0], true);
    assertThat(client.readToFin(forward.data(), WAIT)).as("the pod closes after the client").isEmpty();
    assertThat(client.readToFin(forward.error(), WAIT)).as("no error, then FIN").isEmpty();
  }

  private static void answersHttpOnPort80(SpdyTestClient client) throws InterruptedException {
    Forward forward = forward(client, 80, 0);
    client.data(forward.data(), GET.getBytes(StandardCharsets.UTF_8), false);
    String response = new String(client.readToFin(forward.data(), WAIT), StandardCharsets.UTF_8);
    assertThat(response).as("status line").startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(response).as("body").endsWith("\r\n\r\nhello from web\n");
    assertThat(client.readToFin(forward.error(), WAIT)).as("no error").isEmpty();
  }

  @Test
  void spdyEchoPortCarriesBytesBothWays() throws Exception {
    try (SpdyTestClient client = spdy()) {
      echoesBothWays(client, 1_000_000);
    }
  }

  @Test
  void spdyPort80AnswersHttp() throws Exception {
    try (SpdyTestClient client = spdy()) {
      answersHttpOnPort80(client);
    }
  }

  @Test
  void tunnelEchoPortCarriesBytesBothWaysWhateverTheMessageBoundaries() throws Exception {
    try (SpdyTestClient client = tunnel(3)) {
      echoesBothWays(client, 3_000);
    }
  }

  @Test
  void tunnelPort80AnswersHttp() throws Exception {
    try (SpdyTestClient client = tunnel(1)) {
      answersHttpOnPort80(client);
    }
  }

  @Test
  void twoForwardedConnectionsStayApart() throws Exception {
    try (SpdyTestClient client = spdy()) {
      Forward first = forward(client, 9000, 0);
      Forward second = forward(client, 9001, 1);
      client.data(second.data(), "two".getBytes(StandardCharsets.UTF_8), false);
      client.data(first.data(), "one".getBytes(StandardCharsets.UTF_8), false);

      assertThat(client.read(first.data(), 3, WAIT)).as("first connection").isEqualTo("one".getBytes(StandardCharsets.UTF_8));
      assertThat(client.read(second.data(), 3, WAIT)).as("second connection").isEqualTo("two".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aClosedPortReportsTheRefusalOnTheErrorStream() throws Exception {
    try (SpdyTestClient client = spdy()) {
      Forward forward = forward(client, PodStreams.CLOSED_PORT, 0);
      String error = new String(client.readToFin(forward.error(), WAIT), StandardCharsets.UTF_8);
      assertThat(error).as("kubelet-style error text").startsWith("error forwarding port 1 to pod default/web")
          .contains("connection refused");
      assertThat(client.readToFin(forward.data(), WAIT)).as("data stream closed without bytes").isEmpty();
    }
  }

  @Test
  void aStreamWithoutAValidPortIsReset() throws Exception {
    try (SpdyTestClient client = spdy()) {
      int stream = client.open(Map.of("streamtype", "data", "port", "http", "requestid", "0"), false);
      Event answer = client.await(e -> e.streamId() == stream, WAIT);
      assertThat(answer.kind()).as("refused like the kubelet does").isEqualTo(Kind.RST);
    }
  }

  @Test
  void spdyPingsAreAnsweredInsideTheTunnel() throws Exception {
    try (SpdyTestClient client = tunnel(2)) {
      client.ping(1);
      Event pong = client.await(e -> e.kind() == Kind.PING, WAIT);
      assertThat(pong).as("ping answered").isNotNull();
      assertThat(pong.streamId()).as("same id").isEqualTo(1);
    }
  }
}
