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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SpdyExecTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final List<String> KUBECTL_PROTOCOLS = List.of(
      "v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
  private static final JsonMapper JSON = JsonMapper.builder().build();

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

  private static SpdyTestClient exec(String query) throws Exception {
    return SpdyTestClient.connect(group, server.port(), "/api/v1/namespaces/payments/pods/api/exec?" + query,
        KUBECTL_PROTOCOLS);
  }

  /** Opens streams in kubectl's order and waits for each SYN_REPLY, as spdystream does. */
  private static int open(SpdyTestClient client, String type) throws InterruptedException {
    int id = client.open(Map.of("streamtype", type), false);
    assertThat(client.awaitReply(id)).as("SYN_REPLY for the %s stream", type).isNotNull();
    return id;
  }

  @Test
  void upgradeAnswersV4AsAKubeletWould() throws Exception {
    try (SpdyTestClient client = exec("command=true&stdout=true")) {
      assertThat(client.upgrade().status()).as("status").isEqualTo(101);
      assertThat(client.upgrade().headers().get("X-Stream-Protocol-Version")).as("chosen protocol")
          .isEqualTo("v4.channel.k8s.io");
      assertThat(client.upgrade().headers().get("Upgrade")).as("upgrade").isEqualTo("SPDY/3.1");
      assertThat(client.upgrade().headers().get("Connection")).as("connection").isEqualToIgnoringCase("Upgrade");
    }
  }

  @Test
  void catEchoesStdinAndReportsSuccessOnTheErrorStream() throws Exception {
    try (SpdyTestClient client = exec("command=cat&container=app&stderr=true&stdin=true&stdout=true")) {
      int error = open(client, "error");
      int stdin = open(client, "stdin");
      int stdout = open(client, "stdout");
      int stderr = open(client, "stderr");

      client.data(stdin, "line1\n".getBytes(StandardCharsets.UTF_8), false);
      client.data(stdin, "line2\n".getBytes(StandardCharsets.UTF_8), true);

      assertThat(new String(client.readToFin(stdout, WAIT), StandardCharsets.UTF_8)).as("stdout up to FIN")
          .isEqualTo("line1\nline2\n");
      assertThat(client.readToFin(stderr, WAIT)).as("stderr is empty and ends").isEmpty();
      assertThat(new String(client.readToFin(error, WAIT), StandardCharsets.UTF_8)).as("status on the error stream")
          .isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
    }
  }

  @Test
  void exitThreeReportsNonZeroExitCode() throws Exception {
    try (SpdyTestClient client = exec("command=sh&command=-c&command=exit+3&stderr=true&stdout=true")) {
      int error = open(client, "error");
      open(client, "stdout");
      open(client, "stderr");

      JsonNode status = JSON.readTree(client.readToFin(error, WAIT));
      assertThat(status.get("reason").asString()).as("reason").isEqualTo("NonZeroExitCode");
      assertThat(status.at("/details/causes/0/message").asString()).as("exit code").isEqualTo("3");
    }
  }

  @Test
  void pingsAreEchoed() throws Exception {
    try (SpdyTestClient client = exec("command=sleep&command=30&stdout=true")) {
      client.ping(7);
      Event pong = client.await(e -> e.kind() == Kind.PING, WAIT);
      assertThat(pong).as("a PING back").isNotNull();
      assertThat(pong.streamId()).as("with the same id").isEqualTo(7);
    }
  }

  @Test
  void ttySessionUsesTheResizeStreamAndNoStderr() throws Exception {
    try (SpdyTestClient client = exec("command=sh&stdin=true&stdout=true&tty=true")) {
      int error = open(client, "error");
      int stdin = open(client, "stdin");
      int stdout = open(client, "stdout");
      int resize = open(client, "resize");
      client.data(resize, "{\"Width\":80,\"Height\":24}\n".getBytes(StandardCharsets.UTF_8), false);
      client.data(stdin, "hostname\rexit\r".getBytes(StandardCharsets.UTF_8), false);

      assertThat(new String(client.readToFin(stdout, WAIT), StandardCharsets.UTF_8)).as("terminal output")
          .isEqualTo("/ # hostname\r\napi\r\n/ # exit\r\n");
      assertThat(new String(client.readToFin(error, WAIT), StandardCharsets.UTF_8)).as("status")
          .contains("Success");
    }
  }

  @Test
  void aStreamWithAnUnknownTypeIsReset() throws Exception {
    try (SpdyTestClient client = exec("command=true&stdout=true")) {
      int bogus = client.open(Map.of("streamtype", "bogus"), false);
      Event reset = client.await(e -> e.kind() == Kind.RST || e.kind() == Kind.REPLY, WAIT);
      assertThat(reset.kind()).as("refused").isEqualTo(Kind.RST);
      assertThat(reset.streamId()).as("stream").isEqualTo(bogus);
    }
  }

  @Test
  void noSupportedProtocolIsRefusedWith403() throws Exception {
    try (SpdyTestClient client = SpdyTestClient.connect(group, server.port(),
        "/api/v1/namespaces/payments/pods/api/exec?command=ls&stdout=true", List.of("v9.channel.k8s.io"))) {
      assertThat(client.upgrade().status()).as("status").isEqualTo(403);
      assertThat(JSON.readTree(client.upgrade().body()).get("message").asString()).as("message")
          .contains("unable to negotiate protocol");
    }
  }
}
