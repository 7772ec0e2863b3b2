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

class CanICommandTest {

  @TempDir Path dir;

  private Path policy;

  @BeforeEach
  void writePolicy() throws IOException {
    policy = TestPolicy.write(dir, "policy.yaml", TestPolicy.YAML);
  }

  @Test
  void anAllowedRequestIsYesWithTheRoleRuleImpersonationAndLogin() {
    CapturedRun run = canI("--user", "dana@example.com", "--cluster", "dev-eu", "list", "deployments.apps", "-n", "dev-a");

    assertThat(run.exitCode()).as("yes is exit 0 (stderr: %s)", run.err()).isZero();
    assertThat(run.out().lines()).containsExactly(
        "yes",
        "request: list deployments.apps in namespace dev-a on cluster dev-eu",
        "role: dev",
        "rule: rules[0]",
        "impersonate: user dana@example.com, groups kgate:dev",
        "login needed: none beyond a valid token");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void theGroupsImpersonatedAreThoseOfEveryRoleThatAllows() {
    CapturedRun run = canI("--user", "sam@example.com", "--group", "sre", "--group", "auditors",
        "--cluster", "prod-eu", "get", "pods", "-n", "payments", "web");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines())
        .contains("request: get pods web in namespace payments on cluster prod-eu", "role: sre", "rule: rules[0]",
            "impersonate: user sam@example.com, groups kgate:sre, kgate:audit");
  }

  @Test
  void aRequestNoRuleAllowsIsNoWithTheDenialThePersonWouldRead() {
    CapturedRun run = canI("--user", "dana@example.com", "--cluster", "dev-eu", "delete", "pods", "-n", "dev-a", "web");

    assertThat(run.exitCode()).as("no is exit 1").isEqualTo(1);
    assertThat(run.out().lines()).containsExactly(
        "no",
        "request: delete pods web in namespace dev-a on cluster dev-eu",
        "denied: you may not delete pods in namespace dev-a on cluster dev-eu",
        "why: no allow rule matches in roles [dev]");
  }

  @Test
  void aDenyRuleBeatsAllowRulesOfItsOwnRoleAndOfOtherRoles() {
    CapturedRun elsewhere = canI("--user", "sam@example.com", "--group", "sre", "--group", "auditors",
        "--cluster", "prod-eu", "get", "secrets", "-n", "payments");
    CapturedRun denied = canI("--user", "sam@example.com", "--group", "sre", "--group", "auditors",
        "--cluster", "prod-eu", "get", "secrets", "-n", "kube-system");

    assertThat(elsewhere.exitCode()).as("both roles allow reading secrets outside kube-system").isZero();
    assertThat(denied.exitCode()).isEqualTo(1);
    assertThat(denied.out().lines()).containsExactly(
        "no",
        "request: get secrets in namespace kube-system on cluster prod-eu",
        "denied: you may not get secrets in namespace kube-system on cluster prod-eu",
        "why: role sre deny[0] matches");
  }

  @Test
  void aRuleDemandingAStrongerLoginIsNoWithTheStepUpNeeded() {
    CapturedRun run = canI("--user", "sam@example.com", "--group", "sre", "--cluster", "prod-eu",
        "create", "pods/exec", "-n", "payments", "web");

    assertThat(run.exitCode()).as("a step-up is a no for this login").isEqualTo(1);
    assertThat(run.out().lines()).containsExactly(
        "no",
        "request: create pods/exec web in namespace payments on cluster prod-eu",
        "step-up: allowed after a stronger login",
        "role: sre",
        "rule: rules[1]",
        "login needed: a second factor, a login within the last 10m, acr mfa");
  }

  @Test
  void theSameRequestIsYesWithAFreshMultiFactorLoginOfTheRightAcr() {
    CapturedRun run = canI("--user", "sam@example.com", "--group", "sre", "--cluster", "prod-eu",
        "create", "pods/exec", "-n", "payments", "web", "--mfa", "--acr", "mfa", "--auth-age", "9m");

    assertThat(run.exitCode()).as("stdout: %s", run.out()).isZero();
    assertThat(run.out().lines())
        .contains("yes", "role: sre", "rule: rules[1]",
            "login needed: a second factor, a login within the last 10m, acr mfa");
  }

  @Test
  void aLoginOlderThanTheRuleAllowsNeedsAStepUp() {
    CapturedRun run = canI("--user", "sam@example.com", "--group", "sre", "--cluster", "prod-eu",
        "create", "pods/exec", "-n", "payments", "web", "--mfa", "--acr", "mfa", "--auth-age", "11m");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().lines()).contains("step-up: allowed after a stronger login");
  }

  @Test
  void execIsAskedAboutAsCreateWhicheverVerbIsTyped() {
    CapturedRun run = canI("--user", "sam@example.com", "--group", "sre", "--cluster", "prod-eu",
        "get", "pods/exec", "-n", "payments", "web", "--mfa", "--acr", "mfa");

    assertThat(run.exitCode()).as("a read-only verb must not slip past the exec rule").isZero();
    assertThat(run.out().lines()).contains("request: create pods/exec web in namespace payments on cluster prod-eu");
  }

  @Test
  void anUnknownClusterIsNoWithTheSameAnswerAsAClusterThePersonCannotUse() {
    CapturedRun unknown = canI("--user", "sam@example.com", "--group", "sre", "--cluster", "nowhere",
        "get", "pods", "-n", "payments");
    CapturedRun notTheirs = canI("--user", "sam@example.com", "--group", "sre", "--cluster", "dev-eu",
        "get", "pods", "-n", "payments");

    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.out().lines()).containsExactly(
        "no",
        "request: get pods in namespace payments on cluster nowhere",
        "denied: you have no access to cluster nowhere",
        "why: no role for this subject covers cluster nowhere");
    assertThat(notTheirs.out().replace("dev-eu", "nowhere")).isEqualTo(unknown.out());
  }

  @Test
  void aBlockedUserIsNoWhateverTheirRoles() {
    CapturedRun run = canI("--user", "mallory@example.com", "--cluster", "prod-eu", "get", "pods", "-n", "payments");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out().lines()).contains("denied: your access has been suspended; contact your platform team");
  }

  @Test
  void discoveryIsAllowedToAnyoneHoldingARoleOnTheCluster() {
    CapturedRun run = canI("--user", "dana@example.com", "--cluster", "dev-eu", "get", "/apis");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).contains(
        "request: get /apis on cluster dev-eu",
        "role: dev",
        "rule: discovery (the policy allows discovery to everyone holding a role on the cluster)");
  }

  @Test
  void aMalformedResourceIsOnePlainLineAndExitTwoNotANo() {
    CapturedRun run = canI("--user", "dana@example.com", "--cluster", "dev-eu", "get", "pods/", "-n", "dev-a");

    assertThat(run.exitCode()).isEqualTo(PolicyCommand.EXIT_CANNOT_ANSWER);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("kgate: expected RESOURCE[.GROUP][/SUBRESOURCE], got 'pods/'" + System.lineSeparator());
  }

  @Test
  void aMisspeltVerbIsRefusedRatherThanAnsweredNo() {
    CapturedRun run = canI("--user", "dana@example.com", "--cluster", "dev-eu", "delet", "pods", "-n", "dev-a");

    assertThat(run.exitCode()).isEqualTo(PolicyCommand.EXIT_CANNOT_ANSWER);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("kgate: 'delet' is not a verb the gateway decides; expected one of get, list");
  }

  @Test
  void anInvalidPolicyIsOneLineNamingTheFirstKeyPath() throws IOException {
    Path broken = TestPolicy.write(dir, "broken.yaml", TestPolicy.YAML.replace("verbs: [create]", "verbs: [creat]")
        .replace("clusters: [\"dev-*\"]", "clusters: [\"dev-*\"]\n    colour: blue"));

    CapturedRun run = CapturedRun.of("policy", "can-i", "--policy", broken.toString(), "--user", "dana@example.com",
        "--cluster", "dev-eu", "get", "pods", "-n", "dev-a");

    assertThat(run.exitCode()).isEqualTo(PolicyCommand.EXIT_CANNOT_ANSWER);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("kgate: invalid policy " + broken + ": roles[0].rules[1].verbs[0]: ")
        .endsWith("(and 1 more; kgate policy check " + broken + " lists them all)")
        .doesNotContain("Exception");
  }

  @Test
  void aMissingPolicyFileIsOnePlainLine() {
    Path missing = dir.resolve("nowhere.yaml");

    CapturedRun run = CapturedRun.of("policy", "can-i", "--policy", missing.toString(), "--user", "dana@example.com",
        "--cluster", "dev-eu", "get", "pods");

    assertThat(run.exitCode()).isEqualTo(PolicyCommand.EXIT_CANNOT_ANSWER);
    assertThat(run.err().lines()).containsExactly(
        "kgate: invalid policy " + missing + ": policy file does not exist: " + missing.toAbsolutePath());
  }

  @Test
  void anAuthAgeWithoutAUnitIsAUsageError() {
    CapturedRun run = canI("--user", "dana@example.com", "--cluster", "dev-eu", "get", "pods", "--auth-age", "5");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--auth-age").contains("a duration like").doesNotContain("\tat ");
  }

  @Test
  void withoutAUserItIsAUsageError() {
    CapturedRun run = canI("--cluster", "dev-eu", "get", "pods");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--user").doesNotContain("\tat ");
  }

  @Test
  void withTheGatewayConfigurationAClusterItDoesNotConfigureIsRefusedAsTheGatewayRefusesIt() throws IOException {
    Path config = TestPolicy.gatewayConfig(dir, true, "prod-eu");

    CapturedRun unconfigured = CapturedRun.of("policy", "can-i", "--config", config.toString(),
        "--user", "dana@example.com", "--cluster", "dev-eu", "list", "deployments.apps", "-n", "dev-a");
    assertThat(unconfigured.exitCode()).as("the policy alone says yes, the gateway no (stderr: %s)", unconfigured.err())
        .isEqualTo(1);
    assertThat(unconfigured.out().lines()).containsExactly(
        "no",
        "request: list deployments.apps in namespace dev-a on cluster dev-eu",
        "denied: you have no access to cluster dev-eu",
        "why: the gateway configuration has no cluster dev-eu");

    CapturedRun configured = CapturedRun.of("policy", "can-i", "--config", config.toString(),
        "--user", "sam@example.com", "--group", "sre", "--cluster", "prod-eu", "get", "pods", "-n", "payments", "web");
    assertThat(configured.exitCode()).as(configured.err()).isZero();
    assertThat(configured.out().lines()).contains("role: sre");

    CapturedRun whoCan = CapturedRun.of("policy", "who-can", "--config", config.toString(),
        "--cluster", "dev-eu", "list", "deployments.apps", "-n", "dev-a");
    assertThat(whoCan.out().lines()).containsExactly(
        "who may list deployments.apps in namespace dev-a on cluster dev-eu:",
        "nobody: the gateway configuration has no cluster dev-eu");
  }

  @Test
  void policyAndConfigExcludeEachOther() throws IOException {
    Path config = TestPolicy.gatewayConfig(dir, true, "prod-eu");
    CapturedRun run = CapturedRun.of("policy", "can-i", "--config", config.toString(), "--policy", policy.toString(),
        "--user", "dana@example.com", "--cluster", "prod-eu", "get", "pods");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("mutually exclusive");
  }

  private CapturedRun canI(String... args) {
    List<String> all = new ArrayList<>(List.of("policy", "can-i", "--policy", policy.toString()));
    all.addAll(List.of(args));
    return CapturedRun.of(all.toArray(String[]::new));
  }
}
