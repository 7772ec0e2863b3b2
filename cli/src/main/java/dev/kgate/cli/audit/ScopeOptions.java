package dev.kgate.cli.audit;

import java.time.Clock;
import picocli.CommandLine.Option;

/** Whose requests and which time {@code report} and {@code sessions} look at. */
final class ScopeOptions {

  @Option(names = "--user", paramLabel = "USER",
      description = "Only this user (system:anonymous: every unauthenticated request).")
  private String user;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only requests started at or after WHEN: a span back from now (24h, 7d) or a time"
          + " (2026-12-01T00:00:00Z); default: the start of the log.")
  private String since;

  @Option(names = "--until", paramLabel = "WHEN",
      description = "Only requests started before WHEN (same forms as --since); default: now.")
  private String until;

  /** The window these options make; a time that does not parse is a {@link UsageException}. */
  TimeWindow window(Clock clock) {
    return TimeWindow.parse(since, until, clock);
  }

  /** The --user value, or null. */
  String user() {
    return user;
  }
}
