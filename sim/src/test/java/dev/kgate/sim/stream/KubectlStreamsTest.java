package dev.kgate.sim.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.sim.cluster.RecordedRequest;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.kubectl.Kubeconfig;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlProcess;
import dev.kgate.sim.kubectl.KubectlResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against a simulated cluster: exec, cp and port-forward over both transports. */
class KubectlStreamsTest {

  private static final String NAMESPACE = "payments";
  private static final String POD = SimSeed.SINGLE_CONTAINER_POD;
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

  @TempDir
  static Path dir;

  private static SimCluster cluster;
  private static Kubectl kubectl;

  @BeforeAll
  static void startCluster() {
    cluster = SimCluster.start("streams");
    Path config = dir.resolve("kubeconfig");
    Kubeconfig.write(config, Kubeconfig.withToken("streams", cluster.url(), cluster.caCertificatePem(),
        cluster.gatewayToken()));
    kubectl = Kubectl.builder().kubeconfig(config).home(dir.resolve("home")).timeout(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @BeforeEach
  void forgetRequests() {
    cluster.clearRequests();
  }

  private static List<RecordedRequest> upgrades(String subresource) {
    return cluster.requests().stream()
        .filter(r -> r.path().endsWith("/pods/" + POD + "/" + subresource))
        .toList();
  }

  @Test
  void execCatOverWebSocketEchoesStdin() {
    KubectlResult result = kubectl.runWithInput("hi\n", "exec", "-i", POD, "-n", NAMESPACE, "--", "cat");

    assertThat(result.succeeded()).as(result.describe()).isTrue();
    assertThat(result.stdout()).as("cat's output").isEqualTo("hi\n");
    assertThat(upgrades("exec")).as("one WebSocket upgrade, no SPDY fallback")
        .singleElement()
        .satisfies(r -> {
          assertThat(r.method()).isEqualTo("GET");
          assertThat(r.header("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
        });
  }

  @Test
  void execCatOverSpdyEchoesStdin() {
    KubectlResult result = kubectl.withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
        .runWithInput("hi\n", "exec", "-i", POD, "-n", NAMESPACE, "--", "cat");

    assertThat(result.succeeded()).as(result.describe()).isTrue();
    assertThat(result.stdout()).as("cat's output").isEqualTo("hi\n");
    assertThat(upgrades("exec")).as("one SPDY upgrade")
        .singleElement()
        .satisfies(r -> {
          assertThat(r.method()).isEqualTo("POST");
          assertThat(r.header("Upgrade")).isEqualTo("SPDY/3.1");
        });
  }

  @Test
  void execPassesTheRemoteExitCodeOnBothTransports() {
    KubectlResult websocket = kubectl.run("exec", POD, "-n", NAMESPACE, "--", "sh", "-c", "echo out; exit 3");
    KubectlResult spdy = kubectl.withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false")
        .run("exec", POD, "-n", NAMESPACE, "--", "sh", "-c", "echo out; exit 3");

    assertThat(websocket.exitCode()).as(websocket.describe()).isEqualTo(3);
    assertThat(websocket.stdout()).as("output before the exit").isEqualTo("out\n");
    assertThat(spdy.exitCode()).as(spdy.describe()).isEqualTo(3);
    assertThat(spdy.stdout()).as("output before the exit").isEqualTo("out\n");
  }

  @Test
  void cpCopiesAFileIntoThePodAndBackUnchanged() throws Exception {
    byte[] content = new byte[300_000];
    new Random(5).nextBytes(content);
    Path local = dir.resolve("upload.bin");
    Files.write(local, content);
    Path back = dir.resolve("download.bin");

    KubectlResult upload = kubectl.run("cp", local.toString(), NAMESPACE + "/" + POD + ":/tmp/upload.bin");
    assertThat(upload.succeeded()).as(upload.describe()).isTrue();
    assertThat(((PodStreams) cluster.upgradeHandler()).container(NAMESPACE, POD).fileSystem().read("/tmp/upload.bin"))
        .as("the file in the pod").hasValue(content);

    KubectlResult download = kubectl.run("cp", NAMESPACE + "/" + POD + ":/tmp/upload.bin", back.toString());
    assertThat(download.succeeded()).as(download.describe()).isTrue();
    assertThat(Files.readAllBytes(back)).as("bytes identical after the round trip").isEqualTo(content);
  }

  @Test
  void portForwardOverWebSocketCarriesBytesBothWaysAndHttp() throws Exception {
    try (KubectlProcess forward = kubectl.start("port-forward", "-n", NAMESPACE, "pod/" + POD, ":9000", ":80")) {
      checkForwarding(forward);
    }
    assertThat(upgrades("portforward")).as("the WebSocket tunnel, no SPDY fallback")
        .singleElement()
        .satisfies(r -> {
          assertThat(r.method()).isEqualTo("GET");
          assertThat(r.header("Sec-WebSocket-Protocol")).isEqualTo("SPDY/3.1+portforward.k8s.io");
        });
  }

  @Test
  void portForwardOverSpdyCarriesBytesBothWaysAndHttp() throws Exception {
    try (KubectlProcess forward = kubectl.withEnv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false")
        .start("port-forward", "-n", NAMESPACE, "pod/" + POD, ":9000", ":80")) {
      checkForwarding(forward);
    }
    assertThat(upgrades("portforward")).as("one SPDY upgrade")
        .singleElement()
        .satisfies(r -> assertThat(r.method()).isEqualTo("POST"));
  }

  private static void checkForwarding(KubectlProcess forward) throws Exception {
    int echoPort = localPort(forward, 9000);
    int httpPort = localPort(forward, 80);

    byte[] payload = new byte[200_000];
    new Random(9).nextBytes(payload);
    try (Socket socket = new Socket("127.0.0.1", echoPort)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(payload);
      out.flush();
      assertThat(socket.getInputStream().readNBytes(payload.length)).as("echoed through the pod").isEqualTo(payload);
    }

    try (Socket socket = new Socket("127.0.0.1", httpPort)) {
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(response).as("status line").startsWith("HTTP/1.1 200 OK");
      assertThat(response).as("body").endsWith("hello from " + POD + "\n");
    }
  }

  private static int localPort(KubectlProcess forward, int remotePort) {
    String line = forward.awaitLine(l -> {
      Matcher m = FORWARDING.matcher(l);
      return m.find() && Integer.parseInt(m.group(2)) == remotePort;
    }, WAIT);
    Matcher m = FORWARDING.matcher(line);
    assertThat(m.find()).as("forwarding line %s", line).isTrue();
    return Integer.parseInt(m.group(1));
  }
}
