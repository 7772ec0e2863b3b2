package dev.kgate.cli.policy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kgate policy …}: the platform team's tools for the central policy ({@code docs/policy.md}).
 * {@code check} validates a file before it is deployed; {@code can-i} and {@code who-can} ask it
 * questions with the same engine and request attributes the gateway uses, so their answers are the
 * gateway's. Without a subcommand it prints the usage and fails.
 */
@Command(
    name = "policy",
    description = "Check the central policy and ask it who may do what.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {CheckCommand.class, CanICommand.class, WhoCanCommand.class})
public final class PolicyCommand implements Runnable {

  /**
   * Exit code of {@code can-i} and {@code who-can} when the question cannot be asked (an invalid
   * policy, a malformed resource): distinct from {@code can-i}'s 1 for "no", so a script does not
   * read a typo as a denial.
   */
  static final int EXIT_CANNOT_ANSWER = 2;

  @Spec private CommandSpec spec;

  // Inherited, so that every policy subcommand answers --help with its own usage.
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
  private boolean help;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing COMMAND");
  }
}
