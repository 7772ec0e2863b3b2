package dev.kgate.auth.oidc;

import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.net.URL;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the key chain for one issuer with Nimbus' {@link JWKSourceBuilder}: a cached JWK set,
 * refreshed ahead of expiry on the authenticator's executor, at most two fetches per refetch
 * interval in all (of which {@link ClockedJWKSource} lets unknown {@code kid}s cause one), each
 * fetch retried once, and, while the IdP is down, the last good set kept in use (for ten cache
 * lifetimes) so known keys keep verifying through an outage. Every set the endpoint serves is
 * recorded in the issuer's {@link KeyFetches}.
 */
final class IssuerKeys {

  private static final Logger LOG = LoggerFactory.getLogger(IssuerKeys.class);

  private IssuerKeys() {}

  static ClockedJWKSource build(
      String issuer, URL jwksUri, ResourceRetriever retriever, Clock clock, OidcOptions options,
      ExecutorService executor, KeyFetches fetches) {
    long ttl = options.jwksCacheTtl().toMillis();
    JWKSource<VerificationContext> built = JWKSourceBuilder.<VerificationContext>create(
            fetches.recording(new URLBasedJWKSetSource<>(jwksUri, retriever)))
        .cache(ttl, options.jwksRefreshWait().toMillis())
        // No scheduled refresh: it would run on the wall clock; refresh-ahead is triggered by use.
        .refreshAheadCache(options.jwksRefreshAhead().toMillis(), null, executor, false, null, false)
        .rateLimited(options.jwksRefetchInterval().toMillis())
        .retrying(true)
        .outageTolerant(ttl * 10, event -> logOutage(issuer, event))
        .build();
    if (!(built instanceof JWKSetBasedJWKSource<VerificationContext> chain)) {
      throw new IllegalStateException("Nimbus returned an unexpected JWK source " + built.getClass());
    }
    return new ClockedJWKSource(
        chain.getJWKSetSource(), clock, options.jwksRefetchInterval(), options.jwksRefreshWait());
  }

  private static void logOutage(
      String issuer,
      com.nimbusds.jose.util.events.Event<OutageTolerantJWKSetSource<VerificationContext>, VerificationContext> event) {
    if (event instanceof OutageTolerantJWKSetSource.OutageEvent<VerificationContext> outage) {
      LOG.warn("JWKS of {} unreachable ({}); using the keys fetched before, for up to {} s more",
          issuer, outage.getException().getMessage(), outage.getRemainingTime() / 1000);
    }
  }
}
