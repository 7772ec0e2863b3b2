package dev.kgate.auth.oidc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the gateway holds one issuer's signing keys, for readiness checks and operators.
 *
 * @param issuer    the configured issuer
 * @param lastFetch when the issuer's JWKS endpoint last answered with a usable key set (by the
 *                  authenticator's clock); empty until it first has. A set served from the cache
 *                  during an IdP outage does not count, so an old time means the IdP is not answering.
 * @param keyCount  keys in that set (0 before the first fetch)
 */
public record IssuerKeyStatus(String issuer, Optional<Instant> lastFetch, int keyCount) {

  public IssuerKeyStatus {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(lastFetch, "lastFetch");
  }

  /** Keys were fetched at least once; the cache keeps them in use through later IdP outages. */
  public boolean loaded() {
    return lastFetch.isPresent();
  }
}
