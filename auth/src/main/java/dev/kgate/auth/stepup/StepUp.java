package dev.kgate.auth.stepup;

import dev.kgate.auth.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks a verified identity against the login strength a policy decision asks for, and answers
 * the way RFC 9470 says: go ahead, or a {@link StepUpChallenge} naming what a new login must bring.
 *
 * <p>Threat: a token stolen from a laptop, or one obtained with a password alone, must not open
 * the most dangerous operations (exec into production, reading secrets) for the token's whole
 * lifetime. Freshness is judged on {@code auth_time} against the injected clock at every request,
 * cached tokens included; a token without {@code auth_time} cannot prove freshness and gets a
 * challenge, never an exception.
 */
public final class StepUp {

  /**
   * RFC 8176 methods that each prove a factor beyond a password: {@code mfa} itself, one-time
   * codes, hardware or software keys, SMS or phone confirmation, biometrics, smart cards and
   * proof of possession. Keycloak reports {@code ["pwd","otp"]}, Entra ID {@code ["pwd","mfa"]}.
   */
  public static final Set<String> MFA_METHODS = Set.of(
      "mfa", "otp", "hwk", "swk", "sms", "tel", "fpt", "face", "iris", "retina", "vbm", "sc", "pop", "mca");

  private StepUp() {}

  /**
   * Checks with {@link #MFA_METHODS} as the methods that count as a second factor.
   *
   * @return {@link StepUpResult#SATISFIED}, or the challenge to send with HTTP 401
   */
  public static StepUpResult check(Identity identity, LoginStrength required, Clock clock) {
    return check(identity, required, MFA_METHODS, clock);
  }

  /**
   * @param mfaMethods the {@code amr} values that count as a second factor (a policy may name its own)
   * @return {@link StepUpResult#SATISFIED}, or the challenge to send with HTTP 401
   */
  public static StepUpResult check(Identity identity, LoginStrength required, Set<String> mfaMethods, Clock clock) {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(required, "required");
    Objects.requireNonNull(mfaMethods, "mfaMethods");
    Objects.requireNonNull(clock, "clock");
    if (!required.demandsAnything()) {
      return StepUpResult.SATISFIED;
    }
    List<String> missing = new ArrayList<>();
    List<String> details = new ArrayList<>();
    if (required.mfa() && identity.amr().stream().noneMatch(mfaMethods::contains)) {
      missing.add("your login did not use a second factor");
      details.add("amr " + identity.amr() + " shows no second factor");
    }
    if (!required.acrAny().isEmpty() && !required.acrAny().contains(identity.acr())) {
      missing.add(identity.acr() == null
          ? "your token does not state an authentication level (acr)"
          : "your login's authentication level (acr) is \"" + printable(identity.acr()) + "\"");
      details.add("acr " + (identity.acr() == null ? "(none)" : "\"" + printable(identity.acr()) + "\"")
          + " is not one of " + required.acrAny());
    }
    if (required.maxAge() != null) {
      freshness(identity.authTime(), required.maxAge(), clock.instant(), missing, details);
    }
    if (missing.isEmpty()) {
      return StepUpResult.SATISFIED;
    }
    String command = loginCommand(required);
    return new StepUpChallenge(
        List.copyOf(required.acrAny()),
        required.maxAge(),
        "this request needs a stronger or more recent login (" + String.join("; ", missing)
            + "): run \"" + command + "\", then try again",
        String.join("; ", details) + " (issuer " + identity.issuer() + ", subject " + identity.subject() + ")");
  }

  /** The {@code kgate login} invocation whose token meets {@code required}. */
  public static String loginCommand(LoginStrength required) {
    StringBuilder command = new StringBuilder("kgate login");
    if (required.mfa()) {
      command.append(" --mfa");
    }
    if (required.maxAge() != null) {
      command.append(" --max-age ").append(compact(required.maxAge()));
    }
    if (!required.acrAny().isEmpty()) {
      // The most preferred value; the IdP's answer is then checked against all accepted ones.
      command.append(" --acr ").append(required.acrAny().iterator().next());
    }
    return command.toString();
  }

  private static void freshness(
      Instant authTime, Duration maxAge, Instant now, List<String> missing, List<String> details) {
    if (authTime == null) {
      missing.add("your token does not say when you logged in");
      details.add("no auth_time, max age " + maxAge);
      return;
    }
    Duration age = Duration.between(authTime, now);
    if (age.compareTo(maxAge) > 0) {
      missing.add("you logged in " + rounded(age) + " ago, and this needs a login within the last "
          + compact(maxAge));
      details.add("auth_time " + authTime + " is " + age + " before now " + now + ", max age " + maxAge);
    }
  }

  /** "90s", "10m", "2h", "3d": the largest unit that divides the duration, as the CLI accepts it. */
  static String compact(Duration duration) {
    long seconds = Math.max(duration.toSeconds(), 0);
    if (seconds != 0 && seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds != 0 && seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds != 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  /** An age as a person would say it: "40s", "25m", "3h", "2d" (rounded down). */
  static String rounded(Duration age) {
    long seconds = Math.max(age.toSeconds(), 0);
    if (seconds < 120) {
      return seconds + "s";
    }
    if (seconds < 2 * 3_600) {
      return seconds / 60 + "m";
    }
    if (seconds < 2 * 86_400) {
      return seconds / 3_600 + "h";
    }
    return seconds / 86_400 + "d";
  }

  /** An {@code acr} is IdP-chosen text; keep it short and free of quotes in messages. */
  private static String printable(String value) {
    String bounded = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return bounded.replaceAll("[^\\x20-\\x7e]|\"|\\\\", "?");
  }
}
