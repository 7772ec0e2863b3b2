package dev.kgate.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kgate.auth.AuthFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;

/**
 * The time claims of a token and the rules on them, applied against the injected clock both
 * right after the signature check and on every cache hit, so a cached token stops working at its
 * {@code exp} exactly like a fresh one.
 *
 * @param expiresAt {@code exp}
 * @param notBefore {@code nbf}, or null
 * @param issuedAt  {@code iat}, or null
 */
record TokenTimes(Instant expiresAt, Instant notBefore, Instant issuedAt) {

  TokenTimes {
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** @return the times, or empty when the token has no {@code exp} */
  static Optional<TokenTimes> of(JWTClaimsSet claims) {
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      return Optional.empty();
    }
    return Optional.of(new TokenTimes(exp.toInstant(), instant(claims.getNotBeforeTime()),
        instant(claims.getIssueTime())));
  }

  /**
   * @param skew how far the IdP's clock and ours may disagree
   * @return why the token is not valid at {@code now}, or empty when it is
   */
  Optional<AuthFailure> check(Instant now, Duration skew) {
    if (!now.isBefore(expiresAt.plus(skew))) {
      return Optional.of(Failures.expired(
          "exp " + expiresAt + " is before now " + now + " (clock skew " + skew + ")"));
    }
    if (notBefore != null && now.isBefore(notBefore.minus(skew))) {
      return Optional.of(Failures.notYetValid(
          "nbf " + notBefore + " is after now " + now + " (clock skew " + skew + ")"));
    }
    if (issuedAt != null && issuedAt.isAfter(now.plus(skew))) {
      return Optional.of(Failures.issuedInFuture(
          "iat " + issuedAt + " is after now " + now + " (clock skew " + skew + ")"));
    }
    return Optional.empty();
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
