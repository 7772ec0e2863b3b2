package dev.kgate.cli.audit;

import java.time.Clock;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit}: the reviewer's side of the audit log the gateway writes. It only reads the
 * audit directory, never changes it, so it is safe to run against a live gateway's directory or a
 * copy. Its subcommands: {@code verify} (tamper evidence), {@code query} (find events), {@code
 * tail} (the latest events, and with {@code -f} the new ones as they are written), {@code
 * sessions} (exec, attach and port-forward sessions), {@code play} (replays a recorded exec or
 * attach session) and {@code report} (an HTML page on what each user did in a period, the one file
 * it writes, never inside the audit directory).
 */
@Command(
    name = "audit",
    description = "Review the audit log: verify it, query it, follow it, list and replay sessions, write a report.",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {VerifyCommand.class, QueryCommand.class, TailCommand.class, SessionsCommand.class,
        ReportCommand.class, PlayCommand.class})
public final class AuditCommand implements Runnable {

  static final int EXIT_OK = 0;
  /** {@code verify} found tampering or damage. */
  static final int EXIT_TAMPERED = 1;
  /** A usage error: a missing directory, an unreadable time, an unknown format. */
  static final int EXIT_USAGE = 2;

  private final Clock clock;

  @Spec private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  private boolean help;

  /** Relative times ({@code --since 24h}) count back from the system clock. */
  public AuditCommand() {
    this(Clock.systemUTC());
  }

  /** Relative times count back from {@code clock}. */
  public AuditCommand(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Clock clock() {
    return clock;
  }

  @Override
  public void run() {
    // picocli answers a ParameterException with the message and the usage, exit code 2.
    throw new ParameterException(spec.commandLine(), "Missing COMMAND");
  }
}
