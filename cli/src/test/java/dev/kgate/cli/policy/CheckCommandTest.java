package dev.kgate.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  @TempDir Path dir;

  @Test
  void aValidPolicyWithoutWarningsIsOneLineAndExitZero() throws IOException {
    Path policy = TestPolicy.write(dir, "policy.yaml", TestPolicy.YAML);

    CapturedRun run = CapturedRun.of("policy", "check", policy.toString());

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isEqualTo(CheckCommand.EXIT_VALID);
    assertThat(run.out().lines()).containsExactly(policy + ": valid");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void aBrokenPolicyIsEveryErrorWithItsKeyPathAndExitOne() throws IOException {
    Path policy = TestPolicy.write(dir, "policy.yaml", """
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["prod-*"]
            rules:
              - { verbs: [get, delet], resources: [pods], namespaces: ["*"] }
          - name: dev
            subjects: { groups: [dev] }
            clusters: ["dev-*"]
            colour: blue
            rules:
              - { verbs: [get], resources: [pods/*], namespaces: ["dev-*"] }
        """);

    CapturedRun run = CapturedRun.of("policy", "check", policy.toString());

    assertThat(run.exitCode()).isEqualTo(CheckCommand.EXIT_ERRORS);
    assertThat(run.out().lines()).containsExactly(
        "error: roles[0].rules[0].verbs[1]: unknown verb \"delet\"; did you mean \"delete\"?",
        "error: roles[1].colour: unknown key; expected one of name, description, subjects, clusters, impersonate, rules, deny",
        "error: roles[1].rules[0].resources[0]: 'pods/*' is not supported: RBAC has no subresource wildcard;"
            + " list the subresources (pods/log, pods/exec, …) or use */SUBRESOURCE",
        policy + ": invalid, 3 errors");
    assertThat(run.err()).as("no stack trace").isEmpty();
  }

  @Test
  void aYamlSyntaxErrorIsAnErrorWithItsLine() throws IOException {
    Path policy = TestPolicy.write(dir, "policy.yaml", "roles: [\n  { name: sre\n");

    CapturedRun run = CapturedRun.of("policy", "check", policy.toString());

    assertThat(run.exitCode()).isEqualTo(CheckCommand.EXIT_ERRORS);
    assertThat(run.out().lines().findFirst()).hasValueSatisfying(line -> assertThat(line).startsWith("error: YAML syntax error at line "));
    assertThat(run.out()).doesNotContain("\tat ");
  }

  @Test
  void aWildcardOverSecretsIsAWarningAndStillExitZero() throws IOException {
    Path policy = TestPolicy.write(dir, "policy.yaml", """
        roles:
          - name: viewer
            subjects: { groups: [viewers] }
            clusters: ["*"]
            rules:
              - { verbs: [get, list], resources: [pods], namespaces: ["*"] }
              - { verbs: [get, list, watch], resources: ["*"], namespaces: [payments] }
        """);

    CapturedRun run = CapturedRun.of("policy", "check", policy.toString());

    assertThat(run.exitCode()).as("warnings do not fail the check").isEqualTo(CheckCommand.EXIT_VALID);
    assertThat(run.out().lines()).containsExactly(
        "warning: roles[0].rules[1].resources: '*' includes secrets: this rule lets its holders read every Secret"
            + " in its namespaces; list the resources, or add a deny rule for secrets",
        policy + ": valid, 1 warning");
  }

  @Test
  void aRoleWithoutSubjectsIsAWarning() throws IOException {
    Path policy = TestPolicy.write(dir, "policy.yaml", """
        roles:
          - name: orphan
            clusters: ["*"]
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
        """);

    CapturedRun run = CapturedRun.of("policy", "check", policy.toString());

    assertThat(run.exitCode()).isEqualTo(CheckCommand.EXIT_VALID);
    assertThat(run.out().lines()).anySatisfy(line -> assertThat(line).startsWith("warning: roles[0].subjects: "));
  }

  @Test
  void withTheGatewayConfigurationClustersMatchingNoneOfItsClustersAreWarnings() throws IOException {
    Path config = TestPolicy.gatewayConfig(dir, false, "prod-eu", "prod-us");
    Path policy = TestPolicy.write(dir, "policy.yaml", """
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["prod-*", staging, "dev-*"]
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
        """);

    CapturedRun without = CapturedRun.of("policy", "check", policy.toString());
    CapturedRun with = CapturedRun.of("policy", "check", policy.toString(), "--config", config.toString());

    assertThat(without.out().lines()).as("without --config nothing is known about clusters")
        .containsExactly(policy + ": valid");
    assertThat(with.exitCode()).as("stdout: %s", with.out()).isEqualTo(CheckCommand.EXIT_VALID);
    assertThat(with.out().lines()).containsExactly(
        "warning: roles[0].clusters[1]: cluster 'staging' is not in the gateway configuration",
        "warning: roles[0].clusters[2]: 'dev-*' matches no cluster in the gateway configuration",
        policy + ": valid, 2 warnings");
  }

  @Test
  void anInvalidGatewayConfigurationIsReportedWithItsKeyPathsAndExitOne() throws IOException {
    Path config = TestPolicy.write(dir, "gateway.yaml", """
        clusters:
          - name: Prod_EU
            credentials: { inCluster: true }
        """);
    Path policy = TestPolicy.write(dir, "policy.yaml", TestPolicy.YAML);

    CapturedRun run = CapturedRun.of("policy", "check", policy.toString(), "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(CheckCommand.EXIT_ERRORS);
    assertThat(run.out().lines())
        .anySatisfy(line -> assertThat(line).startsWith("error: gateway configuration " + config + ": clusters[0].name: "))
        .contains(policy + ": valid")
        .last().asString().startsWith(config + ": invalid, ").endsWith("; cluster names not checked");
  }

  @Test
  void aMissingPolicyFileIsAnError() {
    Path missing = dir.resolve("nowhere.yaml");

    CapturedRun run = CapturedRun.of("policy", "check", missing.toString());

    assertThat(run.exitCode()).isEqualTo(CheckCommand.EXIT_ERRORS);
    assertThat(run.out().lines()).containsExactly(
        "error: policy file does not exist: " + missing.toAbsolutePath(),
        missing + ": invalid, 1 error");
  }
}
