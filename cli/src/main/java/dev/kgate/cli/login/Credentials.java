package dev.kgate.cli.login;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gets a usable token for one issuer and client, cheapest way first: the cache (when the access
 * token outlives {@link #MARGIN_SECONDS}), then the refresh token, then an interactive login when
 * one is allowed. Everything after the first cache read happens under the cache's lock and reads
 * the cache again, so of ten racing callers one refreshes or logs in and nine find its result.
 */
final class Credentials {

  /** kubectl reuses a credential until its expirationTimestamp with no early refresh: keep this much in hand. */
  static final long MARGIN_SECONDS = 60;

  /** An interactive login; null where none is allowed. */
  @FunctionalInterface
  interface Login {
    TokenSet login(OidcClient client);
  }

  private final TokenCache cache;
  private final Supplier<OidcClient> client;
  private final Clock clock;

  /** @param client discovers the IdP; called only when the network is needed */
  Credentials(TokenCache cache, Supplier<OidcClient> client, Clock clock) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.client = Objects.requireNonNull(client, "client");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A fresh cached token without taking the lock or touching the network: the exec plugin's fast path. */
  Optional<TokenSet> cached() {
    return cache.read().filter(tokens -> tokens.freshAt(clock.instant(), MARGIN_SECONDS));
  }

  /**
   * A token valid for at least the margin.
   *
   * @param login the interactive login to run when cache and refresh fail, or null when none may run
   * @throws LoginRequiredException when a login is needed but {@code login} is null
   */
  TokenSet current(Login login) {
    Optional<TokenSet> fast = cached();
    if (fast.isPresent()) {
      return fast.get();
    }
    try (TokenCache.Lock held = cache.lock()) {
      Optional<TokenSet> stored = cache.read();
      if (stored.isPresent() && stored.get().freshAt(clock.instant(), MARGIN_SECONDS)) {
        return stored.get(); // someone else refreshed or logged in while this caller waited
      }
      Optional<TokenSet> refreshed = stored.flatMap(this::refresh);
      if (refreshed.isPresent()) {
        return refreshed.get();
      }
      if (login == null) {
        throw new LoginRequiredException(stored.isPresent() ? "the kgate session has expired" : "not logged in");
      }
      return loginAndStore(login);
    }
  }

  /** Always runs {@code login} (step-up, or a new session), under the lock. */
  TokenSet fresh(Login login) {
    try (TokenCache.Lock held = cache.lock()) {
      return loginAndStore(login);
    }
  }

  private TokenSet loginAndStore(Login login) {
    TokenSet tokens = login.login(client.get());
    cache.write(tokens);
    return tokens;
  }

  private Optional<TokenSet> refresh(TokenSet stored) {
    if (stored.refreshToken() == null) {
      return Optional.empty();
    }
    try {
      TokenSet refreshed = client.get().refresh(stored);
      cache.write(refreshed);
      return Optional.of(refreshed);
    } catch (IdpException e) {
      if ("invalid_grant".equals(e.error())) {
        // A dead refresh token is never tried again; the next step is a login.
        cache.write(stored.withoutRefreshToken());
        return Optional.empty();
      }
      throw e;
    }
  }
}
