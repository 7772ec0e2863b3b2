package dev.kgate.cli.policy;

import dev.kgate.auth.stepup.LoginStrength;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A {@link LoginStrength} in words: "a second factor, a login within the last 10m, acr mfa". */
final class LoginText {

  private LoginText() {}

  static String describe(LoginStrength login) {
    if (!login.demandsAnything()) {
      return "none beyond a valid token";
    }
    List<String> parts = new ArrayList<>(3);
    if (login.mfa()) {
      parts.add("a second factor");
    }
    if (login.maxAge() != null) {
      parts.add("a login within the last " + duration(login.maxAge()));
    }
    if (!login.acrAny().isEmpty()) {
      parts.add("acr " + String.join(" or ", login.acrAny()));
    }
    return String.join(", ", parts);
  }

  /** In the policy's own notation: 10m, 1h30m, 1d. */
  static String duration(Duration duration) {
    StringBuilder text = new StringBuilder();
    append(text, duration.toDaysPart(), "d");
    append(text, duration.toHoursPart(), "h");
    append(text, duration.toMinutesPart(), "m");
    append(text, duration.toSecondsPart(), "s");
    append(text, duration.toMillisPart(), "ms");
    return text.length() == 0 ? "0s" : text.toString();
  }

  private static void append(StringBuilder text, long amount, String unit) {
    if (amount != 0) {
      text.append(amount).append(unit);
    }
  }
}
