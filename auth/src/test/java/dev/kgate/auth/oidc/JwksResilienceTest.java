package dev.kgate.auth.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a real IdP will not do on command, played by WireMock: floods of unknown key ids, key
 * rotation, a JWKS endpoint that fails or stalls, an IdP that is down at start, and discovery
 * documents that lie. JWKS fetches are counted where they land: at the IdP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JwksResilienceTest {

  private static final String DISCOVERY = "/.well-known/openid-configuration";
  private static final String JWKS = "/jwks";

  private final WireMockServer idp = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final RSAKey key = Tokens.newRsaKey("k1");
  private final RSAKey attackerKey = Tokens.newRsaKey("attacker");
  private TestClock clock;
  private String issuer;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void startIdp() {
    idp.start();
    issuer = "http://127.0.0.1:" + idp.port();
  }

  @AfterAll
  void stopIdp() {
    idp.stop();
  }

  @BeforeEach
  void serveDiscoveryAndKeys() {
    idp.resetAll();
    clock = TestClock.startingNow();
    idp.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery(issuer, issuer + JWKS))));
    idp.stubFor(get(urlEqualTo(JWKS)).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())));
  }

  @AfterEach
  void closeAuthenticator() {
    if (authenticator != null) {
      authenticator.close();
    }
  }

  @Test
  void aFloodOfUnknownKeyIdsCausesAtMostOneJwksFetchPerInterval() {
    authenticator = create(OidcOptions.DEFAULTS.withThreads(8, 1_000)); // eight threads race for the refetch
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(jwksFetches()).as("the keys, fetched once").isEqualTo(1);

    // Four intervals of 31 s stay well inside the cache lifetime and before its refresh-ahead window,
    // so no expiry or refresh-ahead fetch is due: every fetch counted here is the flood's doing.
    Duration interval = OidcOptions.DEFAULT_JWKS_REFETCH_INTERVAL.plusSeconds(1);
    assertThat(interval.multipliedBy(4)).isLessThan(OidcOptions.DEFAULTS.jwksCacheTtl()
        .minus(OidcOptions.DEFAULTS.jwksRefreshAhead()));
    for (int round = 1; round <= 4; round++) {
      int before = jwksFetches();

      List<AuthResult> results = flood(100, "round-" + round + "-kid-");

      assertThat(results).as("round %d", round).allSatisfy(result -> {
        assertThat(result).isInstanceOf(AuthFailure.class);
        assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.UNKNOWN_KEY);
      });
      assertThat(jwksFetches() - before)
          .as("round %d: one refetch for the flood, not one per kid (and not two, as Nimbus' limiter alone allows)",
              round)
          .isEqualTo(1);
      assertThat(authenticator.authenticate(token(key, "k1")).join()).as("known keys keep working")
          .isInstanceOf(AuthResult.Authenticated.class);
      assertThat(jwksFetches() - before).as("and need no fetch").isEqualTo(1);
      clock.advance(interval);
    }
  }

  @Test
  void whenTheKeyCacheExpiresAFloodAddsAtMostOneFetchToTheRefresh() {
    authenticator = create(OidcOptions.DEFAULTS.withThreads(8, 1_000));
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    clock.advance(OidcOptions.DEFAULT_JWKS_CACHE_TTL.plusSeconds(1));

    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(jwksFetches()).as("the first fetch, then the refresh the expired cache needs, token or no token")
        .isEqualTo(2);
    flood(100, "kid-");

    assertThat(jwksFetches()).as("the flood in the same interval: one refetch more").isEqualTo(3);
  }

  @Test
  void aRotatedKeyIsPickedUpByRefetchingForItsUnknownKid() {
    authenticator = create(OidcOptions.DEFAULTS);
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    RSAKey rotated = Tokens.newRsaKey("k2");
    publish(key, rotated);

    AuthResult result = authenticator.authenticate(token(rotated, "k2")).join();

    assertThat(result).as("new key, without a restart: %s", result).isInstanceOf(AuthResult.Authenticated.class);
    AuthResult oldKey = authenticator.authenticate(token(key, "k1")).join(); // minted now: a new token, not a cache hit
    assertThat(oldKey).as("old key, still published: %s", oldKey).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(authenticator.stats().cacheHits()).as("both verified by signature, not from the token cache").isZero();

    publish(rotated);
    clock.advance(OidcOptions.DEFAULT_JWKS_CACHE_TTL.plusSeconds(1)); // the cached set, still listing k1, expires

    AuthResult withdrawn = authenticator.authenticate(token(key, "k1")).join();
    assertThat(withdrawn).as("old key, withdrawn: %s", withdrawn).isInstanceOf(AuthFailure.class);
    assertThat(((AuthFailure) withdrawn).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(authenticator.authenticate(token(rotated, "k2")).join()).as("new key, after the refresh")
        .isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void keysAreLoadedAtStartBeforeAnyTokenArrives() {
    authenticator = create(OidcOptions.DEFAULTS);

    awaitKeysLoaded();

    assertThat(jwksFetches()).isEqualTo(1);
    assertThat(authenticator.keyStatus()).singleElement().satisfies(status -> {
      assertThat(status.issuer()).isEqualTo(issuer);
      assertThat(status.loaded()).isTrue();
      assertThat(status.lastFetch()).contains(clock.instant());
      assertThat(status.keyCount()).isEqualTo(1);
    });
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(jwksFetches()).as("the token used the keys loaded at start").isEqualTo(1);
  }

  @Test
  void keysAreNotLoadedWhileTheJwksEndpointIsUnreachableAtStartAndAreOnceItAnswers() {
    idp.stubFor(get(urlEqualTo(JWKS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    authenticator = create(OidcOptions.DEFAULTS);
    await(() -> jwksFetches() >= 2, "the start-up attempt and its retry");

    assertThat(authenticator.keysLoaded()).as("nothing fetched yet").isFalse();
    assertThat(authenticator.keyStatus()).singleElement().satisfies(status -> {
      assertThat(status.loaded()).isFalse();
      assertThat(status.lastFetch()).isEmpty();
      assertThat(status.keyCount()).isZero();
    });
    AuthResult whileDown = authenticator.authenticate(token(key, "k1")).join();
    assertThat(((AuthFailure) whileDown).reason()).isEqualTo(Reason.IDP_UNAVAILABLE);
    assertThat(authenticator.keysLoaded()).as("a failed fetch loads nothing").isFalse();

    publish(key);
    clock.advance(OidcOptions.DEFAULT_JWKS_REFETCH_INTERVAL.plusSeconds(1)); // past the fetches' rate limit
    Instant recovered = clock.instant();
    AuthResult afterRecovery = authenticator.authenticate(token(key, "k1")).join();

    assertThat(afterRecovery).as("%s", afterRecovery).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(authenticator.keysLoaded()).isTrue();
    assertThat(authenticator.keyStatus().get(0).lastFetch()).contains(recovered);
  }

  @Test
  void keysLoadedNeedsTheKeysOfEveryIssuer() {
    String second = issuer + "/second";
    idp.stubFor(get(urlEqualTo("/second" + DISCOVERY)).willReturn(okJson(discovery(second, second + JWKS))));
    idp.stubFor(get(urlEqualTo("/second" + JWKS)).willReturn(aResponse().withStatus(503)));
    authenticator = OidcAuthenticator.create(List.of(settings(issuer), settings(second)), clock, OidcOptions.DEFAULTS);
    await(() -> authenticator.keyStatus().get(0).loaded()
        && idp.findAll(getRequestedFor(urlEqualTo("/second" + JWKS))).size() >= 2, "both issuers tried");

    assertThat(authenticator.keyStatus()).extracting(IssuerKeyStatus::issuer, IssuerKeyStatus::loaded)
        .containsExactly(tuple(issuer, true), tuple(second, false));
    assertThat(authenticator.keysLoaded()).as("one issuer's keys are missing").isFalse();

    idp.stubFor(get(urlEqualTo("/second" + JWKS)).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())));
    clock.advance(OidcOptions.DEFAULT_JWKS_REFETCH_INTERVAL.plusSeconds(1));
    String secondToken = Tokens.sign(key, Tokens.rs256("k1").build(), Tokens.validClaims(second, clock.instant()).build());
    assertThat(authenticator.authenticate(secondToken).join()).isInstanceOf(AuthResult.Authenticated.class);

    assertThat(authenticator.keysLoaded()).isTrue();
    authenticator.close();
    assertThat(authenticator.keysLoaded()).as("a closed authenticator verifies nothing").isFalse();
  }

  @Test
  void cachedKeysKeepVerifyingWhileTheJwksEndpointAnswers500() {
    authenticator = create(OidcOptions.DEFAULTS);
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    idp.stubFor(get(urlEqualTo(JWKS)).willReturn(serverError()));
    clock.advance(OidcOptions.DEFAULT_JWKS_CACHE_TTL.plusMinutes(1)); // the key cache has expired

    AuthResult result = authenticator.authenticate(token(key, "k1")).join();

    assertThat(result).as("%s", result).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(jwksFetches()).as("one good fetch, then a failed refetch and its retry").isEqualTo(3);
    AuthResult unknown = authenticator.authenticate(token(attackerKey, "new-kid")).join();
    assertThat(((AuthFailure) unknown).reason()).as("an unknown kid during the outage").isEqualTo(Reason.UNKNOWN_KEY);
  }

  @Test
  void aStalledJwksEndpointFailsAsUnavailableWithinTheTimeouts() {
    idp.stubFor(get(urlEqualTo(JWKS)).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())
        .withFixedDelay(3_000)));
    authenticator = create(OidcOptions.DEFAULTS.withHttpTimeouts(Duration.ofMillis(200), Duration.ofMillis(200)));

    AuthResult result = authenticator.authenticate(token(key, "k1")).join();

    assertThat(result).isInstanceOf(AuthFailure.class);
    assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.IDP_UNAVAILABLE);
    assertThat(((AuthFailure) result).userMessage()).contains("try again");
  }

  @Test
  void anIdpDownAtStartIsDiscoveredLaterWhenTokensArrive() {
    idp.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(aResponse().withStatus(503)));
    authenticator = create(OidcOptions.DEFAULTS);

    AuthResult whileDown = authenticator.authenticate(token(key, "k1")).join();

    assertThat(whileDown).isInstanceOf(AuthFailure.class);
    assertThat(((AuthFailure) whileDown).reason()).isEqualTo(Reason.IDP_UNAVAILABLE);
    assertThat(((AuthFailure) whileDown).detail()).contains("503");

    idp.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery(issuer, issuer + JWKS))));
    clock.advance(OidcOptions.DEFAULT_DISCOVERY_RETRY_INTERVAL);
    AuthResult afterRecovery = authenticator.authenticate(token(key, "k1")).join();

    assertThat(afterRecovery).as("%s", afterRecovery).isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void aDiscoveryDocumentNamingAnotherIssuerIsNotTrusted() {
    idp.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery("https://evil.example.com", issuer + JWKS))));
    authenticator = create(OidcOptions.DEFAULTS);

    AuthResult result = authenticator.authenticate(token(key, "k1")).join();

    assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.IDP_UNAVAILABLE);
    assertThat(((AuthFailure) result).detail()).contains("names issuer \"https://evil.example.com\"");
    assertThat(jwksFetches()).as("keys are never fetched from a document that lies").isZero();
  }

  @Test
  void aJwksUriOutsideHttpsOrLoopbackIsNotFetched() {
    for (String jwksUri : List.of("file:///etc/passwd", "http://keys.example.com/jwks")) {
      idp.stubFor(get(urlEqualTo(DISCOVERY)).willReturn(okJson(discovery(issuer, jwksUri))));
      try (OidcAuthenticator refused = create(OidcOptions.DEFAULTS)) {

        AuthResult result = refused.authenticate(token(key, "k1")).join();

        assertThat(((AuthFailure) result).reason()).as(jwksUri).isEqualTo(Reason.IDP_UNAVAILABLE);
        assertThat(((AuthFailure) result).detail()).as(jwksUri).contains("jwks_uri");
      }
    }
  }

  private OidcAuthenticator create(OidcOptions options) {
    return OidcAuthenticator.create(List.of(settings(issuer)), clock, options);
  }

  private static IssuerSettings settings(String issuer) {
    return new IssuerSettings(URI.create(issuer), List.of("kgate"), "kgate-cli", Set.of("RS256"),
        Duration.ofSeconds(30), new ClaimMapping("sub", "", null, ""), null);
  }

  private void publish(RSAKey... keys) {
    List<JWK> published = new ArrayList<>();
    for (RSAKey one : keys) {
      published.add(one.toPublicJWK());
    }
    idp.stubFor(get(urlEqualTo(JWKS)).willReturn(okJson(new JWKSet(published).toString())));
  }

  /** Sends {@code count} tokens with distinct unknown kids at once and waits for every answer. */
  private List<AuthResult> flood(int count, String kidPrefix) {
    List<CompletableFuture<AuthResult>> pending = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      pending.add(authenticator.authenticate(token(attackerKey, kidPrefix + i)));
    }
    return pending.stream().map(CompletableFuture::join).toList();
  }

  private void awaitKeysLoaded() {
    await(authenticator::keysLoaded, "keys loaded");
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }

  private String token(RSAKey signer, String kid) {
    return Tokens.sign(signer, Tokens.rs256(kid).build(),
        Tokens.validClaims(issuer, clock.instant()).jwtID(UUID.randomUUID().toString()).build());
  }

  private int jwksFetches() {
    return idp.findAll(getRequestedFor(urlEqualTo(JWKS))).size();
  }

  private static String discovery(String issuer, String jwksUri) {
    return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + jwksUri + "\","
        + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
  }
}
