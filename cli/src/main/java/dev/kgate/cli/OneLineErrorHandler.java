package dev.kgate.cli;

import java.io.PrintWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure escaping a command into one plain line on stderr and exit code 1. People read
 * that line, so wrapper exceptions are peeled off down to the one that says what went wrong; the
 * stack trace is printed only with {@code --verbose}.
 */
final class OneLineErrorHandler implements IExecutionExceptionHandler {

  static final int EXIT_FAILURE = 1;

  @Override
  public int handleExecutionException(Exception failure, CommandLine commandLine, ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    err.println("kgate: " + describe(failure));
    if (verbose(parsed)) {
      failure.printStackTrace(err);
    }
    err.flush();
    return EXIT_FAILURE;
  }

  /** The message of the most telling exception in the chain, or its type when it has none. */
  static String describe(Throwable failure) {
    Throwable telling = failure;
    while (isWrapper(telling)) {
      telling = telling.getCause();
    }
    String message = telling.getMessage();
    return message == null || message.isBlank() ? telling.getClass().getSimpleName() : message;
  }

  // A wrapper adds nothing a person needs: no message of its own, or just its cause's toString().
  private static boolean isWrapper(Throwable t) {
    Throwable cause = t.getCause();
    if (cause == null || cause == t) {
      return false;
    }
    if (t instanceof CompletionException || t instanceof ExecutionException) {
      return true;
    }
    String message = t.getMessage();
    return message == null || message.equals(cause.toString());
  }

  private static boolean verbose(ParseResult parsed) {
    return parsed.asCommandLineList().stream()
        .anyMatch(cl -> cl.getParseResult() != null && cl.getParseResult().hasMatchedOption(KgateCommand.VERBOSE));
  }
}
