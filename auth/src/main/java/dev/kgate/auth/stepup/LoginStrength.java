package dev.kgate.auth.stepup;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How strong and how recent a login a request needs, as a policy rule states it and as
 * {@link StepUp#check} enforces it (RFC 9470). {@link #NONE} asks for nothing beyond a valid token.
 *
 * @param mfa    whether the token's {@code amr} must show a second factor (see {@link StepUp#MFA_METHODS})
 * @param maxAge how long ago the person may have logged in ({@code auth_time}), or null for any time
 * @param acrAny accepted {@code acr} values, most preferred first; empty for any (or no) {@code acr}
 */
public record LoginStrength(boolean mfa, Duration maxAge, Set<String> acrAny) {

  /** No requirement beyond a verified token. */
  public static final LoginStrength NONE = new LoginStrength(false, null, Set.of());

  public LoginStrength {
    Objects.requireNonNull(acrAny, "acrAny");
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
    }
    for (String acr : acrAny) {
      if (acr == null || acr.isBlank()) {
        throw new IllegalArgumentException("acrAny must not hold empty values: " + acrAny);
      }
    }
    // Keep the caller's order: it becomes the preference order of acr_values in the challenge.
    acrAny = Collections.unmodifiableSet(new LinkedHashSet<>(acrAny));
  }

  /** A second factor, nothing else. */
  public static LoginStrength mfaOnly() {
    return new LoginStrength(true, null, Set.of());
  }

  /** Whether this asks for anything at all; when not, {@link StepUp#check} always passes. */
  public boolean demandsAnything() {
    return mfa || maxAge != null || !acrAny.isEmpty();
  }
}
