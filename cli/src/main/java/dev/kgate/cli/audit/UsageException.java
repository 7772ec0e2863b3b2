package dev.kgate.cli.audit;

import java.io.PrintWriter;

/**
 * A mistake in how an audit command was called that picocli cannot see: a directory that is not
 * there, a time that does not parse. The command reports it as one plain line and exit code
 * {@value AuditCommand#EXIT_USAGE}, with no usage text and no stack trace.
 */
final class UsageException extends RuntimeException {

  UsageException(String message) {
    super(message, null, false, false);
  }

  /** Prints the one line and returns the exit code to use. */
  int report(PrintWriter err) {
    err.println("kgate: " + getMessage());
    err.flush();
    return AuditCommand.EXIT_USAGE;
  }
}
