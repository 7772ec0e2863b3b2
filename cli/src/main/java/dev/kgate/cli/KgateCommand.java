package dev.kgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code kgate} command. It does nothing on its own but hold the options every
 * subcommand shares; without a subcommand it prints the usage and fails.
 */
@Command(
    name = "kgate",
    mixinStandardHelpOptions = true,
    versionProvider = KgateVersion.Provider.class,
    description = "Zero-trust access gateway for kubectl.",
    synopsisSubcommandLabel = "COMMAND")
final class KgateCommand implements Runnable {

  /** Option name looked up by {@link OneLineErrorHandler}. */
  static final String VERBOSE = "--verbose";

  @Spec private CommandSpec spec;

  // Read through the parse result by OneLineErrorHandler; the field exists so picocli has a target.
  @Option(
      names = VERBOSE,
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an unexpected failure.")
  private boolean verbose;

  @Override
  public void run() {
    // picocli answers a ParameterException with the message and the usage, exit code 2.
    throw new ParameterException(spec.commandLine(), "Missing COMMAND");
  }
}
