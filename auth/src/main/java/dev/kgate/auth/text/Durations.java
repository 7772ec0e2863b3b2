package dev.kgate.auth.text;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations as the gateway configuration and the policy write them: a number and a unit ({@code 500ms}, {@code 10s},
 * {@code 5m}, {@code 1h}, {@code 1d}), or several in a row ({@code 1h30m}). A bare number is
 * refused: "30" could be seconds or milliseconds, and guessing wrong sets a timeout 1000× off
 * or a login freshness 60× off.
 */
public final class Durations {

  /** What the error message says is expected. */
  public static final String EXPECTED = "a duration like 500ms, 10s, 5m, 1h or 1d";

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private Durations() {}

  /** The duration, or empty when {@code text} is not one. */
  public static Optional<Duration> parse(String text) {
    String trimmed = text.trim();
    if (!WHOLE.matcher(trimmed).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(trimmed);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total = total.plus(unit(amount, part.group(2)));
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty(); // absurdly large: not a duration anyone means
    }
    return Optional.of(total);
  }

  /** The duration in the configuration's own notation, e.g. {@code 90s}, {@code 1h30m}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long days = duration.toDays();
    if (days > 0) {
      text.append(days).append('d');
    }
    appendPart(text, duration.toHoursPart(), "h");
    appendPart(text, duration.toMinutesPart(), "m");
    appendPart(text, duration.toSecondsPart(), "s");
    appendPart(text, duration.toMillisPart(), "ms");
    return text.toString();
  }

  private static void appendPart(StringBuilder text, long amount, String unit) {
    if (amount > 0) {
      text.append(amount).append(unit);
    }
  }

  private static Duration unit(long amount, String unit) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      case "d":
        return Duration.ofDays(amount);
      default:
        throw new IllegalStateException("unit " + unit);
    }
  }
}
