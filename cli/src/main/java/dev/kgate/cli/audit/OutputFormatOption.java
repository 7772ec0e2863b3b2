package dev.kgate.cli.audit;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --format table|json}, shared by the commands that print events ({@code query}, {@code tail}). */
final class OutputFormatOption {

  @Option(names = "--format", paramLabel = "table|json", defaultValue = "table",
      description = "table (aligned columns, the default) or json (one event per line, as stored).")
  private String format;

  /** The output for {@code out}; an unknown format is a {@link UsageException}. */
  EventOutput output(PrintWriter out) {
    return EventOutput.of(format, out);
  }
}
