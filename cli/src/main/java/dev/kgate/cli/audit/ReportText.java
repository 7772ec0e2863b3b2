package dev.kgate.cli.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times, spans and counts as the report page and the sessions table write them (UTC, to the second). */
final class ReportText {

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private ReportText() {}

  /** {@code 2025-03-05 10:00:00}, in UTC. */
  static String stamp(Instant time) {
    return STAMP.format(time);
  }

  /** {@code 850 ms}, {@code 42s}, {@code 12m 30s}, {@code 2h 05m 00s}, {@code 3d 04h 10m}. */
  static String span(Duration span) {
    if (span.isNegative()) {
      return "-" + span(span.negated());
    }
    long seconds = span.getSeconds();
    if (seconds < 1) {
      return span.toMillis() + " ms";
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format("%dm %02ds", seconds / 60, seconds % 60);
    }
    if (seconds < 86_400) {
      return String.format("%dh %02dm %02ds", seconds / 3600, seconds % 3600 / 60, seconds % 60);
    }
    return String.format("%dd %02dh %02dm", seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60);
  }

  /** {@code 1 session}, {@code 2 sessions}. */
  static String count(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }
}
