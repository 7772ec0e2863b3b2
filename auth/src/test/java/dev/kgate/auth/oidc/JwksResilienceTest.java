package dev.kgate.auth.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.serverError;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a real IdP will not do on command, played by WireMock: floods of unknown key ids, a JWKS
 * endpoint that fails or stalls, an IdP that is down at start, and discovery documents that lie.
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
  void aFloodOfUnknownKeyIdsMakesAtMostTwoJwksFetchesPerInterval() {
    authenticator = create(OidcOptions.DEFAULTS);
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);

    List<CompletableFuture<AuthResult>> flood = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      flood.add(authenticator.authenticate(token(attackerKey, "kid-" + i)));
    }

    for (CompletableFuture<AuthResult> result : flood) {
      assertThat(result.join()).isInstanceOf(AuthFailure.class);
      assertThat(((AuthFailure) result.join()).reason()).isEqualTo(Reason.UNKNOWN_KEY);
    }
    assertThat(jwksFetches()).as("two per interval: the first fetch plus one refetch for an unknown kid")
        .isEqualTo(2);
    assertThat(authenticator.authenticate(token(key, "k1")).join()).as("known keys keep working")
        .isInstanceOf(AuthResult.Authenticated.class);

    clock.advance(OidcOptions.DEFAULT_JWKS_REFETCH_INTERVAL.plusSeconds(1));
    for (int i = 0; i < 20; i++) {
      authenticator.authenticate(token(attackerKey, "later-" + i)).join();
    }
    assertThat(jwksFetches()).as("a new interval allows two more fetches, not twenty").isEqualTo(4);
  }

  @Test
  void aRotatedKeyIsPickedUpByRefetchingForItsUnknownKid() {
    authenticator = create(OidcOptions.DEFAULTS);
    assertThat(authenticator.authenticate(token(key, "k1")).join()).isInstanceOf(AuthResult.Authenticated.class);
    RSAKey rotated = Tokens.newRsaKey("k2");
    idp.stubFor(get(urlEqualTo(JWKS)).willReturn(okJson(
        new JWKSet(List.of(key.toPublicJWK(), rotated.toPublicJWK())).toString())));

    AuthResult result = authenticator.authenticate(token(rotated, "k2")).join();

    assertThat(result).as("%s", result).isInstanceOf(AuthResult.Authenticated.class);
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
    IssuerSettings settings = new IssuerSettings(URI.create(issuer), List.of("kgate"), "kgate-cli", Set.of("RS256"),
        Duration.ofSeconds(30), new ClaimMapping("sub", "", null, ""), null);
    return OidcAuthenticator.create(List.of(settings), clock, options);
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
