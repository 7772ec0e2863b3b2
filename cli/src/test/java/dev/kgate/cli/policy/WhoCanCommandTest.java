package dev.kgate.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WhoCanCommandTest {

  @TempDir Path dir;

  private Path policy;

  @BeforeEach
  void writePolicy() throws IOException {
    policy = TestPolicy.write(dir, "policy.yaml", TestPolicy.YAML);
  }

  @Test
  void listsAllowingRolesThenDenyingRolesThenTheBlocked() {
    CapturedRun run = whoCan("--cluster", "prod-eu", "get", "secrets", "-n", "kube-system");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "who may get secrets in namespace kube-system on cluster prod-eu:",
        "allowed by:",
        "  sre rules[0]: groups sre",
        "  auditors rules[0]: groups auditors",
        "denied by (these roles' holders are refused, whatever else they hold):",
        "  sre deny[0]: groups sre",
        "blocked (refused on every request): users mallory@example.com");
  }

  @Test
  void showsTheLoginARuleDemands() {
    CapturedRun run = whoCan("--cluster", "prod-eu", "create", "pods/exec", "-n", "payments");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsSubsequence(
        "allowed by:",
        "  sre rules[1]: groups sre; login needed: a second factor, a login within the last 10m, acr mfa");
  }

  @Test
  void onlyRolesOnTheClusterCount() {
    CapturedRun run = whoCan("--cluster", "dev-eu", "list", "pods", "-n", "dev-a");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsSubsequence(
        "allowed by:",
        "  dev rules[1]: users dana@example.com; groups dev",
        "  auditors rules[0]: groups auditors");
    assertThat(run.out()).as("sre does not cover dev-eu").doesNotContain("sre");
  }

  @Test
  void aRequestNobodyMayMakeSaysSo() {
    CapturedRun run = whoCan("--cluster", "nowhere", "delete", "pods", "-n", "payments", "web");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).containsSubsequence(
        "who may delete pods web in namespace payments on cluster nowhere:",
        "allowed by: no role");
  }

  @Test
  void aMalformedResourceIsOnePlainLine() {
    CapturedRun run = whoCan("--cluster", "prod-eu", "get", "/metrics", "-n", "payments");

    assertThat(run.exitCode()).isEqualTo(PolicyCommand.EXIT_CANNOT_ANSWER);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("kgate: a URL path takes no namespace or name" + System.lineSeparator());
  }

  private CapturedRun whoCan(String... args) {
    List<String> all = new ArrayList<>(List.of("policy", "who-can", "--policy", policy.toString()));
    all.addAll(List.of(args));
    return CapturedRun.of(all.toArray(String[]::new));
  }
}
