package dev.kgate.cli.rbac;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kgate rbac …}: the clusters' own RBAC, derived from the central policy, so the API servers
 * enforce what the gateway enforces. {@code sync} writes each role's allow rules into every
 * cluster it covers; {@code gateway-role} prints the gateway's own least-privilege ClusterRole.
 * Without a subcommand it prints the usage and fails.
 */
@Command(
    name = "rbac",
    description = "Write the policy into the clusters' RBAC, and print the gateway's own ClusterRole.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {RbacSyncCommand.class, GatewayRoleCommand.class})
public final class RbacCommand implements Runnable {

  /** Exit code when a cluster could not be synced, a name is taken, or the input is invalid. */
  static final int EXIT_FAILED = 1;

  @Spec private CommandSpec spec;

  // Inherited, so that every rbac subcommand answers --help with its own usage.
  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
  private boolean help;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing COMMAND");
  }
}
