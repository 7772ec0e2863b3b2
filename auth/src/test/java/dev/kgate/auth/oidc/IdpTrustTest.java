package dev.kgate.auth.oidc;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IdP behind a private CA is trusted exactly when its CA bundle is configured
 * ({@link IssuerSettings#caFile()}), on top of the JDK's trust store, never instead of checking.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdpTrustTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  static Path dir;

  private final TestClock clock = TestClock.startingNow();
  private final RSAKey key = Tokens.newRsaKey("k1");
  private WireMockServer idp;
  private Path caFile;
  private String issuer;

  @BeforeAll
  void startHttpsIdp() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("EC").generateKeyPair();
    X509Certificate certificate = selfSigned(pair);
    Path keystore = dir.resolve("idp.p12");
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("idp", pair.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(keystore)) {
      store.store(out, PASSWORD);
    }
    caFile = dir.resolve("idp-ca.pem");
    Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n");

    idp = new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").httpDisabled(true).dynamicHttpsPort()
        .keystorePath(keystore.toString()).keystoreType("PKCS12")
        .keystorePassword(new String(PASSWORD)).keyManagerPassword(new String(PASSWORD)));
    idp.start();
    issuer = "https://127.0.0.1:" + idp.httpsPort();
    idp.stubFor(get(urlEqualTo("/.well-known/openid-configuration"))
        .willReturn(okJson("{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}")));
    idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())));
  }

  @AfterAll
  void stop() {
    idp.stop();
  }

  @Test
  void anIdpSignedByTheConfiguredCaIsTrusted() {
    try (OidcAuthenticator authenticator = create(caFile)) {
      AuthResult result = authenticator.authenticate(token()).join();

      assertThat(result).as("%s", result).isInstanceOf(AuthResult.Authenticated.class);
    }
  }

  @Test
  void withoutTheCaTheSameIdpIsNotTrusted() {
    try (OidcAuthenticator authenticator = create(null)) {
      AuthResult result = authenticator.authenticate(token()).join();

      assertThat(result).isInstanceOf(AuthFailure.class);
      assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.IDP_UNAVAILABLE);
      assertThat(((AuthFailure) result).detail()).containsIgnoringCase("certification path");
    }
  }

  @Test
  void aCaFileWithoutCertificatesIsAConfigurationProblem() throws Exception {
    Path notPem = Files.writeString(dir.resolve("not.pem"), "this is not a certificate\n");

    assertThat(IssuerSettingsCheck.problems(settings(notPem))).singleElement().asString().startsWith("caFile:");
    assertThatThrownBy(() -> create(notPem)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("caFile");
  }

  private OidcAuthenticator create(Path ca) {
    return OidcAuthenticator.create(List.of(settings(ca)), clock, OidcOptions.DEFAULTS);
  }

  private IssuerSettings settings(Path ca) {
    return new IssuerSettings(URI.create(issuer), List.of("kgate"), "kgate-cli", Set.of("RS256"),
        Duration.ofSeconds(30), new ClaimMapping("sub", "", null, ""), ca);
  }

  private String token() {
    return Tokens.sign(key, Tokens.rs256("k1").build(), Tokens.validClaims(issuer, clock.instant()).build());
  }

  private static X509Certificate selfSigned(KeyPair pair) throws Exception {
    X500Name name = new X500Name("CN=test idp");
    Instant now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name, pair.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
  }
}
