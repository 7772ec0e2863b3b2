package dev.kgate.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import org.junit.jupiter.api.Test;

class PolicyCommandTest {

  @Test
  void policyWithoutASubcommandShowsTheUsageAndExitsTwo() {
    CapturedRun run = CapturedRun.of("policy");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing COMMAND").contains("check").contains("can-i").contains("who-can");
  }

  @Test
  void theTopLevelUsageListsPolicy() {
    CapturedRun run = CapturedRun.of();

    assertThat(run.err()).as("kgate's own usage").containsPattern("(?m)^\\s+policy\\s");
  }

  @Test
  void theSharedVerboseOptionReachesThePolicySubcommands() {
    CapturedRun run = CapturedRun.of("policy", "check", "nowhere.yaml", "--verbose");

    assertThat(run.err()).as("--verbose is not an unknown option here").doesNotContain("Unknown option");
    assertThat(run.exitCode()).isEqualTo(CheckCommand.EXIT_ERRORS);
  }

  @Test
  void eachPolicySubcommandAnswersHelpWithItsOwnUsage() {
    CapturedRun run = CapturedRun.of("policy", "can-i", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: kgate policy can-i").contains("--auth-age").contains("[NAME]");
  }
}
