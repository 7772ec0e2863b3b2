package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verified-token cache saves signature checks, but never outlives a token's {@code exp}. */
class VerifiedTokenCacheTest {

  private final TestClock clock = TestClock.startingNow();
  private MockIdp idp;
  private OidcAuthenticator authenticator;

  @BeforeEach
  void start() {
    idp = new MockIdp(clock);
    authenticator = OidcAuthenticator.create(
        List.of(idp.settings("a", new ClaimMapping("sub", "", null, ""))), clock, OidcOptions.DEFAULTS);
  }

  @AfterEach
  void stop() {
    authenticator.close();
    idp.close();
  }

  @Test
  void aSecondVerificationOfTheSameTokenChecksNoSignature() {
    String token = idp.token("a", "alice", Map.of());

    assertThat(authenticator.authenticate(token).join()).isInstanceOf(AuthResult.Authenticated.class);
    OidcStats afterFirst = authenticator.stats();
    AuthResult second = authenticator.authenticate(token).join();

    assertThat(second).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(afterFirst.signatureChecks()).as("the first verification checked the signature").isEqualTo(1);
    assertThat(authenticator.stats().signatureChecks()).as("the second did not").isEqualTo(1);
    assertThat(authenticator.stats().cacheHits()).isEqualTo(1);
    assertThat(authenticator.stats().cachedTokens()).isEqualTo(1);
  }

  @Test
  void aCacheHitCompletesAtOnce() {
    String token = idp.token("a", "alice", Map.of());
    authenticator.authenticate(token).join();

    assertThat(authenticator.authenticate(token)).as("no hop to another thread").isDone();
  }

  @Test
  void aCachedTokenIsRefusedOnceTheClockPassesItsExpiry() {
    String token = idp.token("a", "alice", Map.of()); // valid for one hour
    assertThat(authenticator.authenticate(token).join()).isInstanceOf(AuthResult.Authenticated.class);

    clock.advance(Duration.ofMinutes(59));
    assertThat(authenticator.authenticate(token).join()).as("still valid a minute before exp")
        .isInstanceOf(AuthResult.Authenticated.class);
    clock.advance(Duration.ofMinutes(1).plus(Duration.ofSeconds(30))); // exp plus the 30 s skew

    AuthResult result = authenticator.authenticate(token).join();

    assertThat(result).isInstanceOf(AuthFailure.class);
    assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.EXPIRED);
    assertThat(authenticator.stats().cacheHits()).as("refused from the cache").isEqualTo(2);
    assertThat(authenticator.stats().signatureChecks()).as("without a second signature check").isEqualTo(1);
    assertThat(authenticator.stats().cachedTokens()).as("and dropped from it").isZero();
  }

  @Test
  void theCacheIsBoundedAndDropsTheLeastRecentlyUsed() {
    VerifiedTokenCache cache = new VerifiedTokenCache(2);
    cache.put(VerifiedTokenCache.keyOf("one"), entry("one"));
    cache.put(VerifiedTokenCache.keyOf("two"), entry("two"));
    cache.get(VerifiedTokenCache.keyOf("one")); // "two" is now the least recently used
    cache.put(VerifiedTokenCache.keyOf("three"), entry("three"));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(VerifiedTokenCache.keyOf("two"))).as("evicted").isEmpty();
    assertThat(cache.get(VerifiedTokenCache.keyOf("one"))).isPresent();
    assertThat(cache.get(VerifiedTokenCache.keyOf("three"))).isPresent();
  }

  @Test
  void tokensAreKeyedByTheirDigestNotTheirText() {
    String token = idp.token("a", "alice", Map.of());

    String key = VerifiedTokenCache.keyOf(token);

    assertThat(key).as("SHA-256, base64url").hasSize(43).isNotEqualTo(token);
    for (String segment : token.split("\\.")) {
      assertThat(key).doesNotContain(segment);
    }
  }

  @Test
  void aZeroSizeCacheRemembersNothing() {
    try (OidcAuthenticator uncached = OidcAuthenticator.create(
        List.of(idp.settings("a", new ClaimMapping("sub", "", null, ""))), clock,
        OidcOptions.DEFAULTS.withTokenCacheSize(0))) {
      String token = idp.token("a", "alice", Map.of());

      uncached.authenticate(token).join();
      uncached.authenticate(token).join();

      assertThat(uncached.stats().signatureChecks()).isEqualTo(2);
      assertThat(uncached.stats().cacheHits()).isZero();
    }
  }

  private VerifiedTokenCache.Entry entry(String name) {
    Instant exp = clock.instant().plusSeconds(600);
    Identity identity = new Identity(name, name, List.of(), Map.of(), "https://idp", name, List.of(), null, null, exp);
    return new VerifiedTokenCache.Entry(identity, new TokenTimes(exp, null, null), Duration.ZERO);
  }
}
