package dev.kgate.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

/**
 * Entry point of the {@code kgate} command. It routes java.util.logging (used by fabric8's mock
 * server in the demo) through SLF4J, builds the picocli command tree and exits with its code.
 * Failures reach the user as one plain line on stderr, never as a stack trace unless
 * {@code --verbose} asks for it.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    routeJulThroughSlf4j();
    Charset console = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(System.out, true, console);
    PrintWriter err = new PrintWriter(System.err, true, console);
    System.exit(run(out, err, StopSignal.onJvmShutdown(), args));
  }

  /** Runs one command with the given streams; services it starts run until {@code stop} fires. */
  static int run(PrintWriter out, PrintWriter err, StopSignal stop, String... args) {
    return commandLine(out, err, stop).execute(args);
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err, StopSignal stop) {
    CommandLine commandLine = new CommandLine(new KgateCommand());
    commandLine.addSubcommand(new ServeCommand(stop));
    commandLine.addSubcommand(new DemoCommand(stop));
    commandLine.addSubcommand(new VersionCommand());
    commandLine.addSubcommand(new dev.kgate.cli.policy.PolicyCommand());
    commandLine.addSubcommand(new dev.kgate.cli.audit.AuditCommand());
    commandLine.addSubcommand(new dev.kgate.cli.rbac.RbacCommand());
    dev.kgate.cli.login.LoginCommands.addTo(commandLine);
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(new OneLineErrorHandler());
    return commandLine;
  }

  private static void routeJulThroughSlf4j() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
