package dev.kgate.auth.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import java.io.IOException;
import java.time.Instant;
import java.util.Objects;

/**
 * The last JWK set an issuer's endpoint actually served, as seen at the bottom of the key chain:
 * below the cache, the rate limit and the outage tolerance, so a set served from a cache never
 * counts as a fetch. Written by whichever thread fetched, read by anyone without locking.
 */
final class KeyFetches {

  /** Time (from the authenticator's clock) and size of one successful fetch. */
  record Fetch(Instant at, int keyCount) {}

  private volatile Fetch last;

  /** The last successful fetch, or null before the first. */
  Fetch last() {
    return last;
  }

  /** Wraps the source that talks to the IdP so its every successful answer is recorded here. */
  JWKSetSource<VerificationContext> recording(JWKSetSource<VerificationContext> fetcher) {
    Objects.requireNonNull(fetcher, "fetcher");
    return new JWKSetSource<>() {
      @Override
      public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long now, VerificationContext context)
          throws KeySourceException {
        JWKSet set = fetcher.getJWKSet(evaluator, now, context);
        last = new Fetch(Instant.ofEpochMilli(now), set.size());
        return set;
      }

      @Override
      public void close() throws IOException {
        fetcher.close();
      }
    };
  }
}
