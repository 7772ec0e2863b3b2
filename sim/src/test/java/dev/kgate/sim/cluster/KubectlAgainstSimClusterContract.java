package dev.kgate.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlProcess;
import dev.kgate.sim.kubectl.KubectlResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real kubectl against a simulated cluster, directly (no gateway): what must work for the
 * gateway's end-to-end tests to mean anything. Subclasses pick the HTTP version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KubectlAgainstSimClusterContract {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Path dir;
  private SimCluster cluster;
  private Kubectl kubectl;

  abstract Map<String, String> environment();

  abstract String expectedProtocol();

  @BeforeAll
  void startCluster() throws IOException {
    dir = Files.createTempDirectory("kgate-sim-kubectl");
    cluster = SimCluster.builder("sim-" + expectedProtocol().replace("/", "")).logInterval(Duration.ofMillis(200)).start();
    cluster.writeKubeconfig(dir.resolve("kubeconfig"));
    Kubectl.Builder builder = Kubectl.builder()
        .kubeconfig(dir.resolve("kubeconfig"))
        .home(dir.resolve("home"))
        .timeout(Duration.ofSeconds(30));
    environment().forEach(builder::env);
    kubectl = builder.build();
  }

  @AfterAll
  void stopCluster() throws IOException {
    cluster.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private KubectlResult ok(String... args) {
    KubectlResult result = kubectl.run(args);
    assertThat(result.succeeded()).as(result.describe()).isTrue();
    return result;
  }

  @Test
  void getPodsPrintsTheSeededPodsAsAServerSideTable() {
    KubectlResult result = ok("get", "pods", "-n", "payments");

    assertThat(result.stdout()).as("table header").contains("NAME", "READY", "STATUS", "RESTARTS", "AGE");
    assertThat(result.stdout()).as("the pod with a sidecar shows both containers ready")
        .containsPattern(SimSeed.SIDECAR_POD + "\\s+2/2\\s+Running\\s+0");
    assertThat(result.stdout()).contains(SimSeed.SINGLE_CONTAINER_POD).doesNotContain(SimSeed.DEV_POD);
    RecordedRequest list = cluster.awaitRequest(r -> r.path().equals("/api/v1/namespaces/payments/pods"), WAIT);
    assertThat(list.protocol()).as("protocol kubectl used").isEqualTo(expectedProtocol());
    assertThat(list.headers("authorization")).as("the gateway token arrived once")
        .containsExactly("Bearer " + cluster.gatewayToken());
  }

  @Test
  void getPodAsYamlShowsTheStoredObject() {
    KubectlResult result = ok("get", "pod", SimSeed.SINGLE_CONTAINER_POD, "-n", "payments", "-o", "yaml");

    assertThat(result.stdout()).contains("kind: Pod", "name: " + SimSeed.SINGLE_CONTAINER_POD,
        "namespace: payments", "phase: Running", "resourceVersion:");
  }

  @Test
  void applyCreatesAndUpdatesReplaceReplacesAndDeleteRemoves() throws IOException {
    Path manifest = dir.resolve("applied.yaml");
    Files.writeString(manifest, pod("nginx:1.27", "1"));
    assertThat(ok("apply", "-f", manifest.toString()).stdout()).contains("pod/applied created");

    Files.writeString(manifest, pod("nginx:1.27", "2"));
    assertThat(ok("apply", "-f", manifest.toString()).stdout()).contains("pod/applied configured");
    assertThat(ok("get", "pod", "applied", "-n", "payments", "-o",
        "jsonpath={.spec.containers[*].name} {.spec.containers[0].env[0].value}").stdout().strip())
        .as("the strategic merge patch changed the env value in place, keeping both containers once")
        .isEqualTo("app helper 2");

    Files.writeString(manifest, pod("nginx:1.28", "2"));
    assertThat(ok("replace", "-f", manifest.toString()).stdout()).contains("pod/applied replaced");
    assertThat(ok("get", "pod", "applied", "-n", "payments", "-o", "jsonpath={.spec.containers[0].image}").stdout().strip())
        .isEqualTo("nginx:1.28");

    assertThat(ok("delete", "-f", manifest.toString()).stdout()).contains("pod \"applied\" deleted");
    KubectlResult gone = kubectl.run("get", "pod", "applied", "-n", "payments");
    assertThat(gone.exitCode()).as(gone.describe()).isEqualTo(1);
    assertThat(gone.stderr()).contains("Error from server (NotFound): pods \"applied\" not found");
  }

  @Test
  void watchPrintsPodsThatASecondKubectlCreatesAndChanges() {
    try (KubectlProcess watch = kubectl.start("get", "pods", "-n", "dev-team", "-w")) {
      watch.awaitLine(line -> line.startsWith(SimSeed.DEV_POD), WAIT);
      cluster.awaitRequest(r -> r.path().equals("/api/v1/namespaces/dev-team/pods") && r.uri().contains("watch=true"), WAIT);

      ok("run", "watched", "-n", "dev-team", "--image=registry.example/app:1.0");
      watch.awaitLine(line -> line.startsWith("watched "), WAIT);

      int added = watch.awaitLines(line -> line.startsWith("watched "), 1, WAIT).size();
      ok("label", "pod", "watched", "-n", "dev-team", "tier=web");
      watch.awaitLines(line -> line.startsWith("watched "), added + 1, WAIT);
    }
  }

  @Test
  void logsFollowKeepsReceivingNewLines() {
    try (KubectlProcess logs = kubectl.start("logs", "-f", "-n", "payments", SimSeed.SINGLE_CONTAINER_POD, "--tail=1")) {
      logs.awaitLine(line -> line.equals(SimSeed.SINGLE_CONTAINER_POD + "/app line 10"), WAIT);
      logs.awaitLine(line -> line.equals(SimSeed.SINGLE_CONTAINER_POD + "/app line 12"), WAIT);
      assertThat(logs.lines()).as("tailLines=1 left out the older lines")
          .doesNotContain(SimSeed.SINGLE_CONTAINER_POD + "/app line 9");
    }
  }

  @Test
  void logsOfASidecarNameTheContainer() {
    KubectlResult result = ok("logs", "-n", "payments", SimSeed.SIDECAR_POD, "-c", "sidecar", "--tail=2");

    assertThat(result.stdout().lines()).containsExactly(
        SimSeed.SIDECAR_POD + "/sidecar line 9", SimSeed.SIDECAR_POD + "/sidecar line 10");
  }

  @Test
  void createSubcommandsWhoseBodiesAreProtobufStoreTheObject() {
    String ns = "created-" + expectedProtocol().replace("/", "").replace(".", "");
    ok("create", "namespace", ns);
    ok("create", "secret", "generic", "creds", "-n", ns, "--from-literal=user=alice");
    ok("create", "deployment", "api", "-n", ns, "--image=registry.example/api:2", "--replicas=2", "--port=8080");
    ok("create", "rolebinding", "viewers", "-n", ns, "--clusterrole=view", "--group=sre");

    RecordedRequest create = cluster.awaitRequest(
        r -> r.method().equals("POST") && r.path().equals("/apis/apps/v1/namespaces/" + ns + "/deployments"), WAIT);
    assertThat(create.header("content-type")).as("what kubectl sent").startsWith("application/vnd.kubernetes.protobuf");
    assertThat(ok("get", "secret", "creds", "-n", ns, "-o", "jsonpath={.data.user}").stdout().strip())
        .isEqualTo("YWxpY2U=");
    assertThat(ok("get", "deployment", "api", "-n", ns, "-o",
        "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort}")
        .stdout().strip()).isEqualTo("2 registry.example/api:2 8080");
    assertThat(ok("get", "rolebinding", "viewers", "-n", ns, "-o", "jsonpath={.roleRef.name} {.subjects[0].name}")
        .stdout().strip()).isEqualTo("view sre");
  }

  @Test
  void scaleChangesTheReplicasThroughTheScaleSubresource() {
    assertThat(ok("scale", "deployment", "web", "-n", "dev-team", "--replicas=4").stdout())
        .contains("deployment.apps/web scaled");

    assertThat(ok("get", "deployment", "web", "-n", "dev-team").stdout()).containsPattern("web\\s+4/4\\s+4\\s+4");
  }

  @Test
  void anUnknownPodIsReportedAsNotFound() {
    KubectlResult result = kubectl.run("get", "pod", "nope", "-n", "payments");

    assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
    assertThat(result.stderr()).contains("Error from server (NotFound): pods \"nope\" not found");
  }

  @Test
  void whoamiShowsTheIdentityTheClusterSees() {
    assertThat(ok("auth", "whoami").stdout()).contains(GlueRoutes.GATEWAY_USER);
  }

  @Test
  void execReachesTheClustersPodStreams() {
    assertThat(ok("exec", "-n", "payments", SimSeed.SINGLE_CONTAINER_POD, "--", "echo", "hello").stdout())
        .isEqualTo("hello\n");
  }

  private static String pod(String image, String envValue) {
    return "apiVersion: v1\n"
        + "kind: Pod\n"
        + "metadata:\n"
        + "  name: applied\n"
        + "  namespace: payments\n"
        + "spec:\n"
        + "  containers:\n"
        + "  - name: app\n"
        + "    image: " + image + "\n"
        + "    env:\n"
        + "    - name: MODE\n"
        + "      value: \"" + envValue + "\"\n"
        + "  - name: helper\n"
        + "    image: busybox:1.36\n";
  }
}
