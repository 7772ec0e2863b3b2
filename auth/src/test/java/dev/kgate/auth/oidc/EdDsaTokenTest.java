package dev.kgate.auth.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** EdDSA tokens (RFC 8037) verify with the JDK's Ed25519, without Nimbus' optional Tink dependency. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdDsaTokenTest {

  private final WireMockServer idp = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final TestClock clock = TestClock.startingNow();
  private KeyPair edKey;
  private String issuer;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void start() throws GeneralSecurityException {
    edKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = edKey.getPublic().getEncoded();
    byte[] rawX = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(rawX)).keyID("ed1").build();
    idp.start();
    issuer = "http://127.0.0.1:" + idp.port();
    idp.stubFor(get(urlEqualTo("/.well-known/openid-configuration"))
        .willReturn(okJson("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}")));
    idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(jwk).toString())));
    IssuerSettings settings = new IssuerSettings(URI.create(issuer), List.of("kgate"), "kgate-cli",
        Set.of("EdDSA", "Ed25519"), Duration.ofSeconds(30), new ClaimMapping("sub", "", null, ""), null);
    authenticator = OidcAuthenticator.create(List.of(settings), clock, OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stop() {
    authenticator.close();
    idp.stop();
  }

  @Test
  void anEd25519SignedTokenIsAccepted() throws GeneralSecurityException {
    for (String alg : List.of("EdDSA", "Ed25519")) {
      AuthResult result = authenticator.authenticate(edToken(alg, "alice")).join();

      assertThat(result).as("%s: %s", alg, result).isInstanceOf(AuthResult.Authenticated.class);
      assertThat(((AuthResult.Authenticated) result).identity().username()).isEqualTo("alice");
    }
  }

  @Test
  void aTamperedEd25519TokenIsRefused() throws GeneralSecurityException {
    String[] parts = edToken("EdDSA", "alice").split("\\.");
    String claims = Tokens.validClaims(issuer, clock.instant()).subject("admin").build().toString();
    String tampered = parts[0] + "." + Tokens.base64Url(claims) + "." + parts[2];

    AuthResult result = authenticator.authenticate(tampered).join();

    assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.BAD_SIGNATURE);
  }

  private String edToken(String alg, String subject) throws GeneralSecurityException {
    String header = Tokens.base64Url("{\"alg\":\"" + alg + "\",\"kid\":\"ed1\",\"typ\":\"JWT\"}");
    String payload = Tokens.base64Url(Tokens.validClaims(issuer, clock.instant()).subject(subject).build().toString());
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(edKey.getPrivate());
    signer.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + Base64URL.encode(signer.sign());
  }
}
