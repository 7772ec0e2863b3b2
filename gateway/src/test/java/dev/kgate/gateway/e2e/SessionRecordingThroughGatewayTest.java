package dev.kgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Stage;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.server.GatewayWorld;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlProcess;
import dev.kgate.sim.kubectl.KubectlResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Session recording with the real kubectl: exec over WebSocket and over SPDY becomes an asciicast
 * file named by the session's audit event, a resize becomes an {@code r} event, and the size
 * limit stops the recording but never the session.
 */
class SessionRecordingThroughGatewayTest {

  private static final String NS = "payments";
  private static final String POD = SimSeed.SINGLE_CONTAINER_POD;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dir;
  static GatewayWorld world;
  static GatewayWorld capped;
  static Kubectl kubectl;
  static Kubectl cappedKubectl;
  static String token;

  @BeforeAll
  static void start() throws Exception {
    Files.createDirectories(dir.resolve("capped"));
    world = GatewayWorld.start(dir, "alpha");
    capped = GatewayWorld.withSessions(dir.resolve("capped"),
        new GatewayConfig.Sessions(true, ConfigLoader.MIN_SESSION_MAX_BYTES, true), "alpha");
    token = world.tokenFor("alice@example.com", List.of("sre"));
    kubectl = Kubectl.builder().kubeconfig(world.writeKubeconfig(dir.resolve("kubeconfig"), token))
        .home(dir.resolve("home")).timeout(WAIT).build();
    String cappedToken = capped.tokenFor("alice@example.com", List.of("sre"));
    cappedKubectl = Kubectl.builder()
        .kubeconfig(capped.writeKubeconfig(dir.resolve("capped").resolve("kubeconfig"), cappedToken))
        .home(dir.resolve("home")).timeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
    if (capped != null) {
      capped.close();
    }
  }

  private static KubectlResult ok(KubectlResult result) {
    assertThat(result.succeeded()).as(result.describe()).isTrue();
    return result;
  }

  /** The ResponseComplete event of the one exec whose URI matches, once it is written. */
  private static AuditEvent sessionEnd(GatewayWorld in, Predicate<String> uri) {
    AuditQuery query = new AuditQuery(in.auditDir());
    List<AuditEvent> found = new ArrayList<>();
    await().atMost(WAIT).untilAsserted(() -> {
      found.clear();
      found.addAll(query.find(AuditFilter.any()).stream()
          .filter(e -> e.stage() == Stage.ResponseComplete && e.requestUri().contains("/exec")
              && uri.test(e.requestUri()))
          .toList());
      assertThat(found).hasSize(1);
    });
    return found.get(0);
  }

  private static Path castOf(GatewayWorld in, AuditEvent event) {
    String relative = event.annotations().get(AuditAnnotations.SESSION);
    assertThat(relative).as("the session annotation").isNotNull()
        .matches("sessions/alice-example-com-[0-9a-f]{20}/" + event.auditId() + "\\.cast");
    return in.auditDir().resolve(relative);
  }

  /** The cast's events as {@code code:data}, once the recording has been closed. */
  private static List<String> events(Path cast) throws Exception {
    await().atMost(WAIT).until(() -> Files.exists(cast));
    List<String> lines = Files.readAllLines(cast, StandardCharsets.UTF_8);
    JsonNode header = JSON.readTree(lines.get(0));
    assertThat(header.get("version").asInt()).isEqualTo(2);
    List<String> events = new ArrayList<>();
    double previous = 0;
    for (String line : lines.subList(1, lines.size())) {
      JsonNode event = JSON.readTree(line);
      assertThat(event.get(0).asDouble()).as("times never go back").isGreaterThanOrEqualTo(previous);
      previous = event.get(0).asDouble();
      events.add(event.get(1).asString() + ":" + event.get(2).asString());
    }
    return events;
  }

  @Test
  void anExecOverWebSocketIsRecordedWithItsInputAndOutput() throws Exception {
    ok(kubectl.runWithInput("hi\n", "exec", "-i", POD, "-n", NS, "--", "cat"));

    AuditEvent end = sessionEnd(world, uri -> uri.contains("exec?command=cat&container"));
    List<String> events = events(castOf(world, end));
    assertThat(events).containsSubsequence("i:hi\n", "o:hi\n");
    assertThat(events).filteredOn(e -> e.startsWith("m:")).singleElement().asString()
        .startsWith("m:kgate: status ").contains("Success");
    assertThat(Files.getPosixFilePermissions(castOf(world, end))).hasSize(2);
  }

  @Test
  void anExecOverSpdyIsRecordedWithItsInputAndOutput() throws Exception {
    Kubectl spdy = kubectl.withEnv("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false");
    ok(spdy.runWithInput("hi\n", "exec", "-i", POD, "-n", NS, "--", "sh", "-c", "cat"));

    assertThat(world.cluster("alpha").requests()).filteredOn(r -> r.uri().contains("command=sh"))
        .isNotEmpty().allSatisfy(r -> assertThat(r.method()).as("SPDY, not WebSocket").isEqualTo("POST"));
    AuditEvent end = sessionEnd(world, uri -> uri.contains("command=sh"));
    assertThat(events(castOf(world, end))).containsSubsequence("i:hi\n", "o:hi\n");
  }

  @Test
  void onlyTheEndOfASessionNamesItsRecording() throws Exception {
    ok(kubectl.run("exec", POD, "-n", NS, "--", "echo", "only-end"));

    AuditEvent end = sessionEnd(world, uri -> uri.contains("only-end"));
    List<AuditEvent> start = new AuditQuery(world.auditDir()).find(AuditFilter.any()).stream()
        .filter(e -> e.auditId().equals(end.auditId()) && e.stage() == Stage.RequestReceived).toList();
    assertThat(start).singleElement().satisfies(e -> assertThat(e.annotations()).doesNotContainKey(AuditAnnotations.SESSION));
    assertThat(castOf(world, end)).exists();
  }

  @Test
  void aTerminalResizeIsRecordedAndSizesTheRecording() throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
    CompletableFuture<Void> closed = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    WebSocket ws = http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .subprotocols("v5.channel.k8s.io")
        .buildAsync(URI.create("wss://127.0.0.1:" + world.gateway.port() + "/clusters/alpha/api/v1/namespaces/" + NS
            + "/pods/" + POD + "/exec?command=cat&command=-&container=app&stdin=true&stdout=true&tty=true"),
            new WebSocket.Listener() {
              @Override
              public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                synchronized (output) {
                  output.append(StandardCharsets.UTF_8.decode(data));
                }
                socket.request(1);
                return null;
              }

              @Override
              public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                closed.complete(null);
                return null;
              }

              @Override
              public void onError(WebSocket socket, Throwable error) {
                closed.completeExceptionally(error);
              }
            })
        .get(10, TimeUnit.SECONDS);
    ws.sendBinary(channel(4, "{\"Width\":132,\"Height\":43}"), true).get(5, TimeUnit.SECONDS);
    ws.sendBinary(channel(4, "{\"Width\":100,\"Height\":30}"), true).get(5, TimeUnit.SECONDS);
    ws.sendBinary(channel(0, "typed\r"), true).get(5, TimeUnit.SECONDS);
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    AuditEvent end = sessionEnd(world, uri -> uri.contains("command=cat&command=-&"));
    Path cast = castOf(world, end);
    List<String> events = events(cast);
    assertThat(events).containsSubsequence("r:132x43", "r:100x30", "i:typed\r");
    JsonNode header = JSON.readTree(Files.readAllLines(cast).get(0));
    assertThat(header.get("width").asInt()).isEqualTo(132);
    assertThat(header.get("height").asInt()).isEqualTo(43);
  }

  @Test
  void aPortForwardIsNotRecorded() throws Exception {
    try (KubectlProcess forward = kubectl.start("port-forward", "-n", NS, "pod/" + POD, ":80")) {
      forward.awaitLine(l -> l.contains("Forwarding from"), WAIT);
    }

    AuditQuery query = new AuditQuery(world.auditDir());
    List<AuditEvent> ends = new ArrayList<>();
    await().atMost(WAIT).untilAsserted(() -> {
      ends.clear();
      ends.addAll(query.find(AuditFilter.any()).stream()
          .filter(e -> e.stage() == Stage.ResponseComplete && e.requestUri().contains("/portforward")).toList());
      assertThat(ends).isNotEmpty();
    });
    assertThat(ends).allSatisfy(e -> assertThat(e.annotations()).doesNotContainKey(AuditAnnotations.SESSION));
    try (var casts = Files.walk(world.auditDir())) {
      List<String> names = casts.map(p -> p.getFileName().toString()).toList();
      assertThat(ends).allSatisfy(e -> assertThat(names).doesNotContain(e.auditId() + ".cast"));
    }
  }

  private static ByteBuffer channel(int channel, String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(data.length + 1).put((byte) channel).put(data).flip();
  }

  @Test
  void theSizeLimitStopsTheRecordingButNotTheSession() throws Exception {
    StringBuilder input = new StringBuilder();
    for (int i = 0; input.length() < 64 * 1024; i++) {
      input.append("line ").append(i).append(" of more than the recording may hold\n");
    }
    KubectlResult result = ok(cappedKubectl.runWithInput(input.toString(), "exec", "-i", POD, "-n", NS, "--", "cat"));

    assertThat(result.stdout()).as("the whole session got through").isEqualTo(input.toString());
    AuditEvent end = sessionEnd(capped, uri -> uri.contains("exec?command=cat&container"));
    Path cast = castOf(capped, end);
    List<String> events = events(cast);
    assertThat(Files.size(cast)).isLessThanOrEqualTo(ConfigLoader.MIN_SESSION_MAX_BYTES);
    assertThat(events.get(events.size() - 1)).startsWith("m:kgate: recording stopped")
        .contains("limit of " + ConfigLoader.MIN_SESSION_MAX_BYTES + " bytes");
  }
}
