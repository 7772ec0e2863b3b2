package dev.kgate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code kgate} command tree in-process and keeps what it printed (public for the subcommand packages' tests). */
public record CapturedRun(int exitCode, String out, String err) {

  public static CapturedRun of(String... args) {
    return of(StopSignal.manual(), null, args);
  }

  /** @param extra an extra subcommand to add before running (for failure-handling tests), or null */
  static CapturedRun of(StopSignal stop, Object extra, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintWriter outWriter = new PrintWriter(out, true);
    PrintWriter errWriter = new PrintWriter(err, true);
    CommandLine commandLine = Main.commandLine(outWriter, errWriter, stop);
    if (extra != null) {
      commandLine.addSubcommand(extra);
      // picocli hands settings down only to the subcommands present when they are set.
      commandLine.setOut(outWriter);
      commandLine.setErr(errWriter);
      commandLine.setExecutionExceptionHandler(commandLine.getExecutionExceptionHandler());
    }
    int exitCode = commandLine.execute(args);
    return new CapturedRun(exitCode, out.toString(), err.toString());
  }
}
