package dev.kgate.cli.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kgate rbac sync} run in-process against two mock clusters reached through a kubeconfig. */
class RbacSyncCommandTest {

  private static final String POLICY = """
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["prod-*"]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], resources: [pods], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: [payments], mfa: { maxAge: 10m } }
        - name: dev
          subjects: { groups: [dev] }
          clusters: ["dev-*"]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list], resources: [pods], namespaces: [dev-1] }
      """;
  private static final String NOTE =
      "note: role sre: the login demands of rules[1] are enforced by the gateway only; RBAC cannot express them";

  @TempDir Path dir;
  private MockCluster prod;
  private MockCluster dev;
  private Path kubeconfig;
  private Path policy;

  @BeforeEach
  void start() throws IOException {
    prod = MockCluster.start("default", "payments");
    dev = MockCluster.start("default", "dev-1");
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
          - { name: prod-eu, cluster: { server: "%s" } }
          - { name: dev-eu, cluster: { server: "%s" } }
          - { name: minikube, cluster: { server: "http://127.0.0.1:%d" } }
        users:
          - { name: admin, user: { token: admin-token } }
        contexts:
          - { name: prod-eu, context: { cluster: prod-eu, user: admin } }
          - { name: dev-eu, context: { cluster: dev-eu, user: admin } }
          - { name: minikube, context: { cluster: minikube, user: admin } }
        current-context: prod-eu
        """.formatted(prod.url(), dev.url(), closedPort()));
    policy = write("policy.yaml", POLICY);
  }

  @AfterEach
  void stop() {
    prod.close();
    dev.close();
  }

  @Test
  void aDryRunPrintsEachCoveredClustersDiffAndChangesNothing() {
    CapturedRun run = sync("--dry-run");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out().lines()).containsExactly(
        NOTE,
        "cluster prod-eu (dry run)",
        "+ ClusterRole kgate:sre",
        "    from: policy role sre, rules[0]",
        "    rule: [get, list, watch] apiGroups [\"\"] resources [pods]",
        "+ ClusterRoleBinding kgate:sre",
        "    from: policy role sre",
        "    roleRef: ClusterRole kgate:sre",
        "    subject: Group kgate:sre",
        "+ Role payments/kgate:sre",
        "    from: policy role sre, rules[1]",
        "    rule: [create] apiGroups [\"\"] resources [pods/exec]",
        "    rule: [get] apiGroups [\"\"] resources [pods/exec]",
        "+ RoleBinding payments/kgate:sre",
        "    from: policy role sre",
        "    roleRef: Role kgate:sre",
        "    subject: Group kgate:sre",
        "cluster prod-eu (dry run): would create 4, update 0, delete 0",
        "cluster dev-eu (dry run)",
        "+ Role dev-1/kgate:dev",
        "    from: policy role dev, rules[0]",
        "    rule: [get, list] apiGroups [\"\"] resources [pods]",
        "+ RoleBinding dev-1/kgate:dev",
        "    from: policy role dev",
        "    roleRef: Role kgate:dev",
        "    subject: Group kgate:dev",
        "cluster dev-eu (dry run): would create 2, update 0, delete 0");
    assertThat(run.err()).as("minikube is no cluster of the policy, so it is not contacted").isEmpty();
    assertThat(prod.rbacObjects()).isEmpty();
    assertThat(dev.rbacObjects()).isEmpty();
  }

  @Test
  void aRunWritesTheObjectsAndASecondRunFindsEverythingUpToDate() {
    CapturedRun first = sync();
    CapturedRun second = sync();

    assertThat(first.exitCode()).as("stderr: %s", first.err()).isZero();
    assertThat(first.out().lines())
        .contains("cluster prod-eu: 4 created, 0 updated, 0 deleted", "cluster dev-eu: 2 created, 0 updated, 0 deleted");
    assertThat(prod.rbacObjects()).containsOnlyKeys(
        "ClusterRole kgate:sre", "ClusterRoleBinding kgate:sre", "Role payments/kgate:sre", "RoleBinding payments/kgate:sre");
    assertThat(dev.rbacObjects()).containsOnlyKeys("Role dev-1/kgate:dev", "RoleBinding dev-1/kgate:dev");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out().lines()).containsExactly(NOTE, "cluster prod-eu: up to date", "cluster dev-eu: up to date");
  }

  @Test
  void clusterNarrowsTheRunToTheNamedContexts() {
    CapturedRun run = sync("--cluster", "dev-eu");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out()).doesNotContain("prod-eu");
    assertThat(prod.rbacObjects()).isEmpty();
    assertThat(dev.rbacObjects()).containsOnlyKeys("Role dev-1/kgate:dev", "RoleBinding dev-1/kgate:dev");
  }

  @Test
  void aClusterNoRoleCoversAnyMoreIsPrunedOnlyWhenNamed() throws IOException {
    sync();
    policy = write("policy.yaml", POLICY.substring(0, POLICY.indexOf("  - name: dev")));

    CapturedRun defaultRun = sync();
    CapturedRun named = sync("--cluster", "dev-eu");

    assertThat(defaultRun.out()).as("dev-eu is no longer a cluster of the policy").doesNotContain("dev-eu");
    assertThat(named.exitCode()).as("stderr: %s", named.err()).isZero();
    assertThat(named.out().lines()).containsExactly(
        NOTE,
        "cluster dev-eu",
        "- RoleBinding dev-1/kgate:dev",
        "- Role dev-1/kgate:dev",
        "cluster dev-eu: 0 created, 0 updated, 2 deleted");
    assertThat(dev.rbacObjects()).isEmpty();
    assertThat(prod.rbacObjects()).hasSize(4);
  }

  @Test
  void anUnknownClusterIsRefusedBeforeAnythingIsTouched() {
    CapturedRun run = sync("--cluster", "dev-eu", "--cluster", "staging");

    assertThat(run.exitCode()).isEqualTo(RbacCommand.EXIT_FAILED);
    assertThat(run.err().lines()).containsExactly(
        "kgate: no context staging in " + kubeconfig + " (contexts: prod-eu, dev-eu, minikube)");
    assertThat(dev.rbacObjects()).isEmpty();
  }

  @Test
  void anUnreachableClusterFailsTheRunButTheOthersAreStillSynced() {
    CapturedRun run = sync("--cluster", "minikube", "--cluster", "dev-eu");

    assertThat(run.exitCode()).isEqualTo(RbacCommand.EXIT_FAILED);
    assertThat(run.err().lines()).singleElement().asString().startsWith("kgate: cluster minikube: ");
    assertThat(run.err()).doesNotContain("\tat ");
    assertThat(run.out().lines()).contains("cluster dev-eu: 2 created, 0 updated, 0 deleted");
    assertThat(dev.rbacObjects()).hasSize(2);
  }

  @Test
  void aNameHeldByAnObjectKgateDoesNotManageFailsTheRunAndIsLeftAlone() {
    prod.client().resource(new ClusterRoleBuilder().withNewMetadata().withName("kgate:sre").endMetadata().build()).create();

    CapturedRun run = sync("--cluster", "prod-eu");

    assertThat(run.exitCode()).isEqualTo(RbacCommand.EXIT_FAILED);
    assertThat(run.out().lines()).contains(
        "! ClusterRole kgate:sre",
        "    exists without the label app.kubernetes.io/managed-by: kgate; left alone (delete it or rename the policy role)",
        "cluster prod-eu: 2 created, 0 updated, 0 deleted, 1 conflict");
    assertThat(prod.rbacObjects()).containsOnlyKeys(
        "ClusterRole kgate:sre", "Role payments/kgate:sre", "RoleBinding payments/kgate:sre");
    assertThat(prod.rbacObjects().get("ClusterRole kgate:sre").getMetadata().getLabels()).isNullOrEmpty();
  }

  @Test
  void anInvalidPolicyIsEveryErrorAndNothingIsTouched() throws IOException {
    policy = write("broken.yaml", """
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["prod-*"]
            impersonate: { groups: ["system:masters"] }
            rules:
              - { verbs: [get, delet], resources: [pods], namespaces: ["*"] }
        """);

    CapturedRun run = sync();

    assertThat(run.exitCode()).isEqualTo(RbacCommand.EXIT_FAILED);
    assertThat(run.err().lines()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("kgate: policy " + policy + ": roles[0]."));
    assertThat(run.out()).isEmpty();
    assertThat(prod.rbacObjects()).isEmpty();
  }

  @Test
  void aMissingKubeconfigIsOneLine() {
    kubeconfig = dir.resolve("nowhere");

    CapturedRun run = sync();

    assertThat(run.exitCode()).isEqualTo(RbacCommand.EXIT_FAILED);
    assertThat(run.err().lines()).containsExactly("kgate: kubeconfig " + kubeconfig + " does not exist");
  }

  private CapturedRun sync(String... extra) {
    String[] args = new String[6 + extra.length];
    args[0] = "rbac";
    args[1] = "sync";
    args[2] = "--policy";
    args[3] = policy.toString();
    args[4] = "--kubeconfig";
    args[5] = kubeconfig.toString();
    System.arraycopy(extra, 0, args, 6, extra.length);
    return CapturedRun.of(args);
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
