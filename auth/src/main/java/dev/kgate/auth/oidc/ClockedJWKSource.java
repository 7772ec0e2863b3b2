package dev.kgate.auth.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The front of an issuer's key chain: looks a key up in the cached JWK set and, when no key
 * matches (a rotated or forged {@code kid}), asks for one refetch, exactly as Nimbus'
 * {@code JWKSetBasedJWKSource} does, but timed by the injected {@link Clock} so cache expiry,
 * refresh-ahead, rate limit and outage tolerance all follow the same clock as token expiry.
 *
 * <p>When the refetch is refused by the rate limit, no key matches: the token fails as
 * UNKNOWN_KEY rather than as an IdP outage.
 */
final class ClockedJWKSource implements JWKSource<VerificationContext>, Closeable {

  private final JWKSetSource<VerificationContext> source;
  private final Clock clock;

  ClockedJWKSource(JWKSetSource<VerificationContext> source, Clock clock) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public List<JWK> get(JWKSelector selector, VerificationContext context) throws KeySourceException {
    long now = clock.millis();
    JWKSet cached = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
    List<JWK> matches = selector.select(cached);
    if (!matches.isEmpty()) {
      return matches;
    }
    try {
      // referenceComparison: refetch only if no other thread has replaced this set meanwhile.
      return selector.select(source.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(cached), now, context));
    } catch (RateLimitReachedException e) {
      context.markRefetchRateLimited();
      return List.of();
    }
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
