package dev.kgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.gateway.server.GatewayWorld;
import dev.kgate.sim.cluster.RecordedRequest;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlProcess;
import dev.kgate.sim.kubectl.KubectlResult;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real kubectl, through the gateway over verified TLS, against two simulated clusters: the
 * everyday commands over HTTP/2 and HTTP/1.1, and the long-lived and interactive ones (watch,
 * logs -f, exec, cp, port-forward) that proxies usually break.
 */
class KubectlThroughGatewayTest {

  private static final String NS = "payments";
  private static final String POD = SimSeed.SINGLE_CONTAINER_POD;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

  @TempDir static Path dir;
  static GatewayWorld world;
  static Kubectl kubectl;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(dir, "alpha", "beta");
    token = world.tokenFor("alice@example.com", List.of("sre"));
    Path kubeconfig = world.writeKubeconfig(dir.resolve("kubeconfig"), token);
    kubectl = Kubectl.builder().kubeconfig(kubeconfig).home(dir.resolve("home")).timeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void forget() {
    world.clusters.values().forEach(SimCluster::clearRequests);
  }

  /** kubectl over HTTP/2 (the default) or HTTP/1.1 ({@code DISABLE_HTTP2} removes ALPN). */
  private static Kubectl over(String protocol) {
    return protocol.equals("h2") ? kubectl : kubectl.withEnv("DISABLE_HTTP2", "1");
  }

  private static KubectlResult ok(KubectlResult result) {
    assertThat(result.succeeded()).as(result.describe()).isTrue();
    return result;
  }

  private static void assertImpersonatedAtUpstream(SimCluster cluster, String pathPart) {
    RecordedRequest seen = cluster.awaitRequest(r -> r.uri().contains(pathPart), Duration.ofSeconds(5));
    assertThat(seen.headers("Authorization")).containsExactly("Bearer " + cluster.gatewayToken());
    assertThat(seen.headers("Impersonate-User")).containsExactly("alice@example.com");
    assertThat(seen.headers("Impersonate-Group")).containsExactly("sre", "system:authenticated");
    assertThat(seen.headerLines()).noneMatch(h -> h.value().contains(token));
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"h2", "http/1.1"})
  void getWorksOnBothClustersAsTheImpersonatedUser(String protocol) {
    KubectlResult alpha = ok(over(protocol).run("--context", "alpha", "get", "pods", "-n", NS));
    KubectlResult beta = ok(over(protocol).run("--context", "beta", "get", "deployments", "-A"));

    assertThat(alpha.stdout()).contains(POD).contains("Running");
    assertThat(beta.stdout()).contains("payments-api").contains("dev-team");
    assertImpersonatedAtUpstream(world.cluster("alpha"), "/api/v1/namespaces/payments/pods");
    assertImpersonatedAtUpstream(world.cluster("beta"), "/apis/apps/v1/deployments");
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"h2", "http/1.1"})
  void getAsYamlShowsTheWholeObject(String protocol) {
    KubectlResult result = ok(over(protocol).run("get", "pod", POD, "-n", NS, "-o", "yaml"));

    assertThat(result.stdout()).contains("kind: Pod").contains("name: " + POD).contains("namespace: " + NS);
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"h2", "http/1.1"})
  void applyReplaceAndDeleteChangeTheCluster(String protocol) throws Exception {
    String name = "e2e-" + (protocol.equals("h2") ? "h2" : "h1");
    Path manifest = dir.resolve(name + ".yaml");
    Files.writeString(manifest, configMap(name, "one"));
    Kubectl k = over(protocol);

    assertThat(ok(k.run("apply", "-f", manifest.toString())).stdout()).contains("configmap/" + name + " created");
    Files.writeString(manifest, configMap(name, "two"));
    assertThat(ok(k.run("replace", "-f", manifest.toString())).stdout()).contains("configmap/" + name + " replaced");
    assertThat(ok(k.run("get", "configmap", name, "-n", "default", "-o", "jsonpath={.data.value}")).stdout().trim())
        .isEqualTo("two");
    assertThat(ok(k.run("delete", "-f", manifest.toString())).stdout()).contains("configmap \"" + name + "\" deleted");
    KubectlResult gone = k.run("get", "configmap", name, "-n", "default");
    assertThat(gone.exitCode()).isNotZero();
    assertThat(gone.stderr()).contains("NotFound");
  }

  private static String configMap(String name, String value) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: default\ndata:\n  value: "
        + value + "\n";
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"h2", "http/1.1"})
  void aWatchReceivesTheEventASecondKubectlCauses(String protocol) throws Exception {
    String pod = "watched-" + (protocol.equals("h2") ? "h2" : "h1");
    Path manifest = dir.resolve(pod + ".yaml");
    Files.writeString(manifest, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + pod
        + "\n  namespace: default\nspec:\n  containers:\n  - name: app\n    image: busybox\n");
    try (KubectlProcess watch = over(protocol).start("get", "pods", "-n", "default", "-w")) {
      // The namespace starts empty, so kubectl prints no header until the first event: wait
      // until its watch request has reached the cluster through the gateway.
      world.cluster("alpha").awaitRequest(r -> r.path().endsWith("/namespaces/default/pods")
          && r.uri().contains("watch=true"), WAIT);
      ok(kubectl.run("apply", "-f", manifest.toString()));
      assertThat(watch.awaitLine(l -> l.startsWith(pod), WAIT)).as("the watch printed the new pod").contains(pod);
      assertThat(watch.isAlive()).as("the watch is still open").isTrue();
    }
  }

  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"h2", "http/1.1"})
  void logsFollowKeepsStreaming(String protocol) {
    try (KubectlProcess logs = over(protocol).start("logs", "-f", "-n", NS, POD)) {
      // The simulated container has logged 10 lines; line 12 is written while kubectl follows.
      assertThat(logs.awaitLine(l -> l.endsWith(" line 12"), WAIT)).contains(POD);
      assertThat(logs.isAlive()).as("following, not ended").isTrue();
    }
  }

  @Test
  void execOverWebSocketEchoesStdin() {
    KubectlResult result = ok(kubectl.runWithInput("hi\n", "exec", "-i", POD, "-n", NS, "--", "cat"));

    assertThat(result.stdout()).isEqualTo("hi\n");
    RecordedRequest upgrade = world.cluster("alpha").awaitRequest(r -> r.path().endsWith("/exec"), WAIT);
    assertThat(upgrade.method()).isEqualTo("GET");
    assertThat(upgrade.header("Sec-WebSocket-Protocol")).isEqualTo("v5.channel.k8s.io");
    assertImpersonatedAtUpstream(world.cluster("alpha"), "/exec");
  }

  @Test
  void execOverSpdyEchoesStdinAndPassesTheExitCode() {
    Kubectl spdy = kubectl.withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
    KubectlResult cat = ok(spdy.runWithInput("hi\n", "exec", "-i", POD, "-n", NS, "--", "cat"));
    KubectlResult exit = spdy.run("exec", POD, "-n", NS, "--", "sh", "-c", "echo out; exit 3");

    assertThat(cat.stdout()).isEqualTo("hi\n");
    assertThat(exit.exitCode()).as(exit.describe()).isEqualTo(3);
    assertThat(exit.stdout()).isEqualTo("out\n");
    assertThat(world.cluster("alpha").requests()).filteredOn(r -> r.path().endsWith("/exec"))
        .allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
  }

  @Test
  void cpCopiesAFileIntoThePodAndBack() throws Exception {
    byte[] content = new byte[256 * 1024 + 7];
    new Random(11).nextBytes(content);
    Path local = dir.resolve("upload.bin");
    Files.write(local, content);
    Path back = dir.resolve("download.bin");

    ok(kubectl.run("cp", local.toString(), NS + "/" + POD + ":/tmp/upload.bin"));
    ok(kubectl.run("cp", NS + "/" + POD + ":/tmp/upload.bin", back.toString()));

    assertThat(Files.readAllBytes(back)).isEqualTo(content);
  }

  @ParameterizedTest(name = "port-forward over {0}")
  @ValueSource(strings = {"websocket", "spdy"})
  void portForwardCarriesBytesBothWays(String transport) throws Exception {
    Kubectl k = transport.equals("spdy") ? kubectl.withEnv("KUBECTL_PORT_FORWARD_WEBSOCKETS", "false") : kubectl;
    try (KubectlProcess forward = k.start("port-forward", "-n", NS, "pod/" + POD, ":9000", ":80")) {
      int echo = localPort(forward, 9000);
      byte[] payload = new byte[100_000];
      new Random(3).nextBytes(payload);
      try (Socket socket = new Socket("127.0.0.1", echo)) {
        socket.setSoTimeout((int) WAIT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(payload);
        out.flush();
        assertThat(socket.getInputStream().readNBytes(payload.length)).isEqualTo(payload);
      }
      int http = localPort(forward, 80);
      try (Socket socket = new Socket("127.0.0.1", http)) {
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .startsWith("HTTP/1.1 200").endsWith("hello from " + POD + "\n");
      }
    }
  }

  private static int localPort(KubectlProcess forward, int remotePort) {
    String line = forward.awaitLine(l -> {
      Matcher m = FORWARDING.matcher(l);
      return m.find() && Integer.parseInt(m.group(2)) == remotePort;
    }, WAIT);
    Matcher m = FORWARDING.matcher(line);
    assertThat(m.find()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void impersonationFlagsAreRefusedWithAClearMessage() {
    KubectlResult result = kubectl.run("get", "pods", "--as", "system:admin");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("Forbidden").contains("impersonation");
  }
}
