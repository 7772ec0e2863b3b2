package dev.kgate.sim.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebSocketExecTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String V5 = "v5.channel.k8s.io";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static EventLoopGroup group;
  private static PodStreams streams;
  private static StreamTestServer server;

  @BeforeAll
  static void startServer() throws Exception {
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    streams = new PodStreams(Clock.systemUTC(), Duration.ZERO);
    server = new StreamTestServer(group, streams);
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  private static WebSocketTestClient exec(String query, String protocol) throws Exception {
    return WebSocketTestClient.connect(group, server.port(),
        "/api/v1/namespaces/default/pods/web/exec?" + query, protocol);
  }

  /** Reads frames until the status (channel 3); returns stdout, stderr and the status JSON. */
  private static Session readSession(WebSocketTestClient client) throws InterruptedException {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    while (true) {
      WebSocketTestClient.Frame frame = client.next(WAIT);
      assertThat(frame).as("a frame before the status (stdout so far: %s)", stdout).isNotNull();
      assertThat(frame.type()).as("only binary frames carry channels").isEqualTo("binary");
      byte[] payload = frame.payload();
      switch (frame.channel()) {
        case 1:
          stdout.write(payload, 1, payload.length - 1);
          break;
        case 2:
          stderr.write(payload, 1, payload.length - 1);
          break;
        case 3:
          return new Session(stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8),
              JSON.readTree(frame.text()));
        default:
          throw new AssertionError("unexpected channel " + frame.channel());
      }
    }
  }

  private record Session(String stdout, String stderr, JsonNode status) {}

  @Test
  void catEchoesStdinAndReportsSuccessThenCloses() throws Exception {
    try (WebSocketTestClient client = exec("command=cat&container=app&stderr=true&stdin=true&stdout=true", V5)) {
      assertThat(client.protocol()).as("the server answers with the subprotocol it chose").isEqualTo(V5);
      WebSocketTestClient.Frame ready = client.next(WAIT);
      assertThat(ready.payload()).as("the first message is the empty stdout 'ready' signal").containsExactly(1);

      client.send(0, "line1\nline2\n".getBytes(StandardCharsets.UTF_8));
      client.send(255, new byte[] {0});
      Session session = readSession(client);

      assertThat(session.stdout()).as("cat copies stdin to stdout").isEqualTo("line1\nline2\n");
      assertThat(session.status().toString()).as("success status, as the kubelet marshals it")
          .isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
      WebSocketTestClient.Frame close = client.next(WAIT);
      assertThat(close.type()).as("the server closes after the status").isEqualTo("close");
      assertThat(close.closeStatus()).as("normal closure").isEqualTo(1000);
    }
  }

  @Test
  void exitThreeReportsNonZeroExitCodeThree() throws Exception {
    try (WebSocketTestClient client = exec("command=exit&command=3&container=app&stderr=true&stdout=true", V5)) {
      client.next(WAIT);
      Session session = readSession(client);

      JsonNode status = session.status();
      assertThat(status.get("status").asString()).as("status").isEqualTo("Failure");
      assertThat(status.get("reason").asString()).as("reason").isEqualTo("NonZeroExitCode");
      assertThat(status.at("/details/causes/0/reason").asString()).as("cause reason").isEqualTo("ExitCode");
      assertThat(status.at("/details/causes/0/message").asString()).as("exit code as text").isEqualTo("3");
      assertThat(status.has("kind")).as("the exec status carries no kind, like the kubelet's").isFalse();
    }
  }

  @Test
  void shellCommandStringRunsPipelinesAndLists() throws Exception {
    String script = URLEncoder.encode("echo one | cat && false || echo two; exit 5",
        StandardCharsets.UTF_8);
    try (WebSocketTestClient client = exec("command=sh&command=-c&command=" + script + "&stderr=true&stdout=true", V5)) {
      client.next(WAIT);
      Session session = readSession(client);

      assertThat(session.stdout()).as("pipeline, && and || evaluated in order").isEqualTo("one\ntwo\n");
      assertThat(session.status().at("/details/causes/0/message").asString()).as("exit status of sh").isEqualTo("5");
    }
  }

  @Test
  void pingIsAnsweredWithPongWhileACommandRuns() throws Exception {
    try (WebSocketTestClient client = exec("command=sleep&command=30&stdout=true", V5)) {
      client.next(WAIT);
      client.ping("heartbeat".getBytes(StandardCharsets.UTF_8));

      WebSocketTestClient.Frame pong = client.next(WAIT);
      assertThat(pong).as("an answer to the ping").isNotNull();
      assertThat(pong.type()).as("frame type").isEqualTo("pong");
      assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).as("pong echoes the ping").isEqualTo("heartbeat");
    }
  }

  @Test
  void fragmentedStdinMessageKeepsItsChannel() throws Exception {
    try (WebSocketTestClient client = exec("command=cat&stdin=true&stdout=true", V5)) {
      client.next(WAIT);
      client.sendFrame(new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[] {0, 'h', 'e'})));
      client.sendFrame(new ContinuationWebSocketFrame(false, 0, Unpooled.wrappedBuffer("ll".getBytes(StandardCharsets.UTF_8))));
      client.sendFrame(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer("o\n".getBytes(StandardCharsets.UTF_8))));
      client.send(255, new byte[] {0});

      assertThat(readSession(client).stdout()).as("continuations belong to the first fragment's channel")
          .isEqualTo("hello\n");
    }
  }

  @Test
  void largeOutputArrivesWholeThroughBackpressure() throws Exception {
    byte[] content = new byte[3 * 1024 * 1024 + 17];
    new Random(42).nextBytes(content);
    streams.container("default", "web").fileSystem().write("/tmp/big.bin", content);
    try (WebSocketTestClient client = exec("command=cat&command=%2Ftmp%2Fbig.bin&stdout=true&stderr=true", V5)) {
      client.next(WAIT);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      while (true) {
        WebSocketTestClient.Frame frame = client.next(WAIT);
        assertThat(frame).as("frames keep coming").isNotNull();
        if (frame.channel() == 3) {
          break;
        }
        received.write(frame.payload(), 1, frame.payload().length - 1);
      }
      assertThat(received.toByteArray()).as("every byte of the file, in order").isEqualTo(content);
    }
  }

  @Test
  void v4IsNegotiatedWhenOfferedAlone() throws Exception {
    try (WebSocketTestClient client = exec("command=echo&command=hi&stdout=true", "v4.channel.k8s.io")) {
      assertThat(client.protocol()).as("negotiated protocol").isEqualTo("v4.channel.k8s.io");
      client.next(WAIT);
      Session session = readSession(client);
      assertThat(session.stdout()).as("stdout").isEqualTo("hi\n");
      assertThat(session.status().get("status").asString()).as("status").isEqualTo("Success");
    }
  }

  @Test
  void unknownCommandExits127WithTheRuntimeMessageOnStderr() throws Exception {
    try (WebSocketTestClient client = exec("command=nosuchthing&stdout=true&stderr=true", V5)) {
      client.next(WAIT);
      Session session = readSession(client);
      assertThat(session.stderr()).as("runtime message")
          .contains("exec: \"nosuchthing\": executable file not found in $PATH");
      assertThat(session.status().at("/details/causes/0/message").asString()).as("exit code").isEqualTo("127");
    }
  }

  @Test
  void interactiveShellOnATerminalEchoesEditsAndRunsLines() throws Exception {
    try (WebSocketTestClient client = exec("command=sh&stdin=true&stdout=true&tty=true", V5)) {
      client.next(WAIT);
      client.send(4, "{\"Width\":120,\"Height\":40}".getBytes(StandardCharsets.UTF_8));
      client.send(0, "echo hellx\u007fo\r".getBytes(StandardCharsets.UTF_8));
      client.send(0, "exit 4\r".getBytes(StandardCharsets.UTF_8));
      Session session = readSession(client);

      assertThat(session.stdout()).as("prompt, echoed keystrokes with the erase, CRLF output")
          .startsWith("/ # echo hellx\b \bo\r\nhello\r\n/ # exit 4\r\n");
      assertThat(session.status().at("/details/causes/0/message").asString()).as("exit code").isEqualTo("4");
    }
  }

  @Test
  void attachEchoesWhatTheClientTypes() throws Exception {
    try (WebSocketTestClient client = WebSocketTestClient.connect(group, server.port(),
        "/api/v1/namespaces/default/pods/web/attach?container=app&stdin=true&stdout=true", V5)) {
      client.next(WAIT);
      client.send(0, "hello main\n".getBytes(StandardCharsets.UTF_8));

      WebSocketTestClient.Frame echoed = client.next(WAIT);
      assertThat(echoed.channel()).as("stdout channel").isEqualTo(1);
      assertThat(echoed.text()).as("the main process echoes its input").isEqualTo("hello main\n");
    }
  }

  @Test
  void aWebSocketOfferingNoKnownSubprotocolIsRefusedWithAStatus() throws Exception {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true");
    request.headers()
        .set(HttpHeaderNames.HOST, "127.0.0.1")
        .set(HttpHeaderNames.CONNECTION, "Upgrade")
        .set(HttpHeaderNames.UPGRADE, "websocket")
        .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
        .set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "base64.channel.k8s.io");

    RawHttp.Answer answer = RawHttp.exchange(group, server.port(), request);

    assertThat(answer.status()).as("no upgrade, so kubectl falls back to SPDY").isEqualTo(400);
    JsonNode status = JSON.readTree(answer.body());
    assertThat(status.get("kind").asString()).as("a full Status").isEqualTo("Status");
    assertThat(status.get("code").asInt()).as("code").isEqualTo(400);
  }

  @Test
  void execWithoutAnyStreamIsRefused() throws Exception {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
        "/api/v1/namespaces/default/pods/web/exec?command=ls");
    request.headers()
        .set(HttpHeaderNames.HOST, "127.0.0.1")
        .set(HttpHeaderNames.CONNECTION, "Upgrade")
        .set(HttpHeaderNames.UPGRADE, "websocket")
        .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13")
        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
        .set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, V5);

    RawHttp.Answer answer = RawHttp.exchange(group, server.port(), request);

    assertThat(answer.status()).as("status code").isEqualTo(400);
    assertThat(JSON.readTree(answer.body()).get("message").asString()).as("message")
        .isEqualTo("you must specify at least 1 of stdin, stdout, stderr");
  }
}
