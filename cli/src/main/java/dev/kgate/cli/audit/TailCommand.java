package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit tail}: the latest matching events across all users, oldest first; with
 * {@code -f}, then every matching event as it is written, polling the directory every {@value
 * #POLL_MILLIS} ms (new users and new day files included) until the process is stopped (Ctrl-C) or
 * the thread running it is interrupted.
 */
@Command(name = "tail", description = "Print the latest audit events; with -f, keep printing new ones as they are written.")
final class TailCommand implements Callable<Integer> {

  static final long POLL_MILLIS = 200;

  @Spec private CommandSpec spec;
  @ParentCommand private AuditCommand parent;
  @Mixin private AuditDirectory directory;
  @Mixin private EventFilterOptions filters;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
  private boolean follow;

  @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "10",
      description = "How many of the latest events to print first (default ${DEFAULT-VALUE}).")
  private int lines;

  @Mixin private OutputFormatOption format;

  @Override
  public Integer call() throws IOException {
    try {
      return tail();
    } catch (UsageException usage) {
      return usage.report(spec.commandLine().getErr());
    }
  }

  private int tail() throws IOException {
    EventSelection selection = filters.selection(parent.clock());
    if (lines < 0) {
      throw new UsageException("invalid --lines " + lines + ": must be 0 or more");
    }
    PrintWriter err = spec.commandLine().getErr();
    EventOutput output = format.output(spec.commandLine().getOut());
    Path dir = directory.existing();
    LogFollower follower = new LogFollower(dir, filters.user(), warning -> err.println("kgate: " + warning));
    List<AuditEvent> latest;
    try {
      latest = follower.start(selection, lines);
    } catch (ClosedByInterruptException stopped) {
      return AuditCommand.EXIT_OK;
    }
    if (latest.isEmpty() && !follow) {
      err.println("No matching events.");
      return AuditCommand.EXIT_OK;
    }
    output.start(latest);
    if (follow) {
      follow(follower, selection, output);
    }
    return AuditCommand.EXIT_OK;
  }

  private static void follow(LogFollower follower, EventSelection selection, EventOutput output)
      throws IOException {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(POLL_MILLIS);
        output.more(follower.poll(selection));
      } catch (InterruptedException | ClosedByInterruptException stopped) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
