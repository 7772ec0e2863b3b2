package dev.kgate.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kgate.auth.AuthFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The claim rules one issuer's tokens must meet once their signature is good: the exact
 * {@code iss}, an {@code aud} we accept, a {@code sub}, an {@code exp}, and the time rules.
 *
 * <p>Threat: a token validly signed by a trusted IdP but meant for another service (wrong
 * audience), for nobody in particular (no subject), or forever (no expiry) must not open a
 * cluster. Nimbus' own claims verifier reads the wall clock; we check here against the injected
 * {@link java.time.Clock} instead and name each failure.
 */
final class ClaimsPolicy {

  private final String issuer;
  private final List<String> audiences;
  private final Duration clockSkew;

  ClaimsPolicy(String issuer, List<String> audiences, Duration clockSkew) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.audiences = List.copyOf(audiences);
    this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
  }

  Duration clockSkew() {
    return clockSkew;
  }

  /** @return the token's times when every rule holds at {@code now}, else the first broken rule */
  Checked<TokenTimes> check(JWTClaimsSet claims, Instant now) {
    if (!issuer.equals(claims.getIssuer())) {
      return Checked.failed(Failures.untrustedIssuer(
          "iss " + Failures.printable(claims.getIssuer()) + " is not " + issuer));
    }
    List<String> tokenAudiences = claims.getAudience();
    if (tokenAudiences.stream().noneMatch(audiences::contains)) {
      return Checked.failed(Failures.wrongAudience("aud " + Failures.printable(String.join(",", tokenAudiences))
          + " contains none of " + audiences + " (issuer " + issuer + ")"));
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      return Checked.failed(Failures.missingClaim("sub", "token from " + issuer + " has no sub claim"));
    }
    Optional<TokenTimes> times = TokenTimes.of(claims);
    if (times.isEmpty()) {
      return Checked.failed(Failures.missingClaim("exp", "token from " + issuer + " has no exp claim"));
    }
    Optional<AuthFailure> timeProblem = times.get().check(now, clockSkew);
    if (timeProblem.isPresent()) {
      return Checked.failed(timeProblem.get());
    }
    return Checked.ok(times.get());
  }
}
