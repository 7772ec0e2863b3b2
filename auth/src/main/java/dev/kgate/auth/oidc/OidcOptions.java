package dev.kgate.auth.oidc;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for {@link OidcAuthenticator}: how many verified tokens to remember, how patiently to talk
 * to the IdP, how long to trust a fetched JWK set, and how much verification work may queue up.
 * {@link #DEFAULTS} suits a production gateway; tests shorten what they need with the
 * {@code with...} methods.
 *
 * @param tokenCacheSize         verified tokens remembered (0 turns the cache off)
 * @param httpConnectTimeout     connect timeout for discovery and JWKS requests
 * @param httpReadTimeout        read timeout for discovery and JWKS requests
 * @param jwksCacheTtl           how long a fetched JWK set is used before it is fetched again
 *                               (refreshed ahead of expiry in the background)
 * @param jwksRefetchInterval    rate limit for JWKS fetches: tokens with unknown {@code kid}s cause
 *                               at most one refetch per interval, however many arrive; with cache
 *                               expiry and refresh-ahead, at most two fetches per interval in all
 * @param discoveryRetryInterval how often a request may trigger another discovery attempt, and the
 *                               longest wait between background attempts to load keys not loaded yet
 * @param threads                verification threads ({@code kgate-auth-N})
 * @param maxPending             verifications queued or running before new ones are refused as busy
 */
public record OidcOptions(
    int tokenCacheSize,
    Duration httpConnectTimeout,
    Duration httpReadTimeout,
    Duration jwksCacheTtl,
    Duration jwksRefetchInterval,
    Duration discoveryRetryInterval,
    int threads,
    int maxPending) {

  public static final int DEFAULT_TOKEN_CACHE_SIZE = 10_000;
  public static final Duration DEFAULT_HTTP_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_HTTP_READ_TIMEOUT = Duration.ofSeconds(3);
  public static final Duration DEFAULT_JWKS_CACHE_TTL = Duration.ofMinutes(5);
  public static final Duration DEFAULT_JWKS_REFETCH_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_DISCOVERY_RETRY_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_THREADS = 2;
  public static final int DEFAULT_MAX_PENDING = 1_000;

  public static final OidcOptions DEFAULTS = new OidcOptions(
      DEFAULT_TOKEN_CACHE_SIZE,
      DEFAULT_HTTP_CONNECT_TIMEOUT,
      DEFAULT_HTTP_READ_TIMEOUT,
      DEFAULT_JWKS_CACHE_TTL,
      DEFAULT_JWKS_REFETCH_INTERVAL,
      DEFAULT_DISCOVERY_RETRY_INTERVAL,
      DEFAULT_THREADS,
      DEFAULT_MAX_PENDING);

  public OidcOptions {
    Objects.requireNonNull(httpConnectTimeout, "httpConnectTimeout");
    Objects.requireNonNull(httpReadTimeout, "httpReadTimeout");
    Objects.requireNonNull(jwksCacheTtl, "jwksCacheTtl");
    Objects.requireNonNull(jwksRefetchInterval, "jwksRefetchInterval");
    Objects.requireNonNull(discoveryRetryInterval, "discoveryRetryInterval");
    if (tokenCacheSize < 0 || threads < 1 || maxPending < 1) {
      throw new IllegalArgumentException(
          "tokenCacheSize must be >= 0, threads and maxPending >= 1: " + tokenCacheSize + ", " + threads
              + ", " + maxPending);
    }
    requirePositive(httpConnectTimeout, "httpConnectTimeout");
    requirePositive(httpReadTimeout, "httpReadTimeout");
    requirePositive(jwksRefetchInterval, "jwksRefetchInterval");
    requirePositive(discoveryRetryInterval, "discoveryRetryInterval");
    // Nimbus refuses a rate limit that is not shorter than the cache lifetime, and a refresh-ahead
    // window plus refresh wait longer than it.
    Duration refreshWindow =
        refreshAhead(jwksCacheTtl).plus(refreshWait(httpConnectTimeout, httpReadTimeout));
    if (jwksCacheTtl.compareTo(jwksRefetchInterval) <= 0 || jwksCacheTtl.compareTo(refreshWindow) < 0) {
      throw new IllegalArgumentException("jwksCacheTtl " + jwksCacheTtl + " must exceed jwksRefetchInterval "
          + jwksRefetchInterval + " and " + refreshWindow + " (refresh-ahead window plus two fetch attempts)");
    }
  }

  public OidcOptions withTokenCacheSize(int size) {
    return new OidcOptions(size, httpConnectTimeout, httpReadTimeout, jwksCacheTtl, jwksRefetchInterval,
        discoveryRetryInterval, threads, maxPending);
  }

  public OidcOptions withHttpTimeouts(Duration connect, Duration read) {
    return new OidcOptions(tokenCacheSize, connect, read, jwksCacheTtl, jwksRefetchInterval,
        discoveryRetryInterval, threads, maxPending);
  }

  public OidcOptions withJwksCache(Duration ttl, Duration refetchInterval) {
    return new OidcOptions(tokenCacheSize, httpConnectTimeout, httpReadTimeout, ttl, refetchInterval,
        discoveryRetryInterval, threads, maxPending);
  }

  public OidcOptions withDiscoveryRetryInterval(Duration interval) {
    return new OidcOptions(tokenCacheSize, httpConnectTimeout, httpReadTimeout, jwksCacheTtl,
        jwksRefetchInterval, interval, threads, maxPending);
  }

  public OidcOptions withThreads(int count, int pending) {
    return new OidcOptions(tokenCacheSize, httpConnectTimeout, httpReadTimeout, jwksCacheTtl,
        jwksRefetchInterval, discoveryRetryInterval, count, pending);
  }

  /** How long before expiry the JWK set is refetched in the background: a tenth of its lifetime. */
  Duration jwksRefreshAhead() {
    return refreshAhead(jwksCacheTtl);
  }

  /** How long a request waits for a JWKS fetch another thread started: one fetch plus its retry. */
  Duration jwksRefreshWait() {
    return refreshWait(httpConnectTimeout, httpReadTimeout);
  }

  private static Duration refreshAhead(Duration ttl) {
    return ttl.dividedBy(10);
  }

  private static Duration refreshWait(Duration connect, Duration read) {
    return connect.plus(read).multipliedBy(2);
  }

  private static void requirePositive(Duration value, String name) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
