package dev.kgate.auth.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The front of an issuer's key chain: looks a key up in the cached JWK set and, when no key
 * matches (a rotated or forged {@code kid}), may refetch the set once, like Nimbus'
 * {@code JWKSetBasedJWKSource}, but timed by the injected {@link Clock} so cache expiry,
 * refresh-ahead, rate limit and outage tolerance all follow the same clock as token expiry.
 *
 * <p>Threat: a flood of tokens with made-up {@code kid}s turning the gateway into a load generator
 * against the IdP. Nimbus' rate limiter below allows two fetches per interval (one for cache expiry
 * plus one refetch), so on its own a flood could take both. Here unknown-{@code kid} refetches get
 * their own budget: at most one per refetch interval, whoever asks. Expiry and refresh-ahead
 * fetches happen at most once per cached set, whatever tokens arrive, and are not counted here.
 *
 * <p>A token whose {@code kid} is unknown waits (up to the refresh wait) for a refetch another
 * thread is doing, then looks again, so tokens signed with a freshly rotated key that arrive
 * together all pass after the one refetch. When no refetch is allowed, no key matches: the token
 * fails as UNKNOWN_KEY rather than as an IdP outage.
 */
final class ClockedJWKSource implements JWKSource<VerificationContext>, Closeable {

  private final JWKSetSource<VerificationContext> source;
  private final Clock clock;
  private final long refetchIntervalMillis;
  private final long refetchWaitMillis;
  private final ReentrantLock refetchLock = new ReentrantLock();
  private long nextRefetchAt = Long.MIN_VALUE; // guarded by refetchLock

  ClockedJWKSource(JWKSetSource<VerificationContext> source, Clock clock, Duration refetchInterval,
      Duration refetchWait) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.refetchIntervalMillis = refetchInterval.toMillis();
    this.refetchWaitMillis = refetchWait.toMillis();
  }

  @Override
  public List<JWK> get(JWKSelector selector, VerificationContext context) throws KeySourceException {
    long now = clock.millis();
    JWKSet cached = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
    List<JWK> matches = selector.select(cached);
    if (!matches.isEmpty()) {
      return matches;
    }
    return refetch(selector, now, context);
  }

  /**
   * Fetches the set now unless it is cached already (then a no-op, or the refresh an expired set
   * needs anyway). For loading the keys at start, before any token arrives.
   */
  void load() throws KeySourceException {
    source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), clock.millis(), new VerificationContext());
  }

  private List<JWK> refetch(JWKSelector selector, long now, VerificationContext context) throws KeySourceException {
    try {
      if (!refetchLock.tryLock(refetchWaitMillis, TimeUnit.MILLISECONDS)) {
        throw new JWKSetUnavailableException(
            "timed out after " + refetchWaitMillis + " ms waiting for another JWKS refetch");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JWKSetUnavailableException("interrupted while waiting for a JWKS refetch", e);
    }
    try {
      // Another thread may have refetched while this one waited: that set may hold the key.
      JWKSet current = source.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
      List<JWK> matches = selector.select(current);
      if (!matches.isEmpty()) {
        return matches;
      }
      if (now < nextRefetchAt) {
        context.markRefetchRateLimited();
        return List.of();
      }
      nextRefetchAt = now + refetchIntervalMillis;
      // referenceComparison: refetch only if nothing (refresh-ahead) has replaced this set meanwhile.
      return selector.select(source.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(current), now, context));
    } catch (RateLimitReachedException e) {
      // Nimbus' own limit: expiry refreshes already took this interval's fetches.
      context.markRefetchRateLimited();
      return List.of();
    } finally {
      refetchLock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    source.close();
  }
}
