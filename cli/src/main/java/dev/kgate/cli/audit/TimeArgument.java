package dev.kgate.cli.audit;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code --since} or {@code --until} value: a span back from now ({@code 90s}, {@code 30m},
 * {@code 24h}, {@code 7d}, {@code 2w}), an RFC 3339 time ({@code 2026-12-01T00:00:00Z}, any
 * offset), or a day ({@code 2026-12-01}, midnight UTC). Anything else is a usage error that says
 * what would have been understood.
 */
final class TimeArgument {

  private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhdw])");

  private TimeArgument() {}

  static Instant parse(String option, String text, Clock clock) {
    Matcher ago = AGO.matcher(text);
    if (ago.matches()) {
      return clock.instant().minus(span(Long.parseLong(ago.group(1)), ago.group(2).charAt(0)));
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notATime) {
      // maybe a day
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeException notADay) {
      throw new UsageException("invalid " + option + " '" + text + "': expected a span back from now"
          + " (30m, 24h, 7d) or a time (2026-12-01T00:00:00Z, 2026-12-01)");
    }
  }

  private static Duration span(long amount, char unit) {
    return switch (unit) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      case 'w' -> Duration.ofDays(7 * amount);
      default -> throw new IllegalStateException("the pattern admits no unit " + unit);
    };
  }
}
