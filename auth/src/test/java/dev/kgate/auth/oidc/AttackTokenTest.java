package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged, tampered and malformed tokens, hand-signed with Nimbus against two real issuers (A and B
 * on one mock-oauth2-server), are each refused with the reason that names the attack, and never
 * with an IdP-outage reason that would invite a retry. Issuer A allows RS256 and ES256, so tokens
 * that mix up RSA and EC pass the algorithm allow-list and reach the key selection they attack.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackTokenTest {

  private final TestClock clock = TestClock.startingNow();
  private MockIdp idp;
  private OidcAuthenticator authenticator;
  private RSAKey keyA;
  private RSAKey keyB;
  private RSAKey attackerKey;
  private ECKey attackerEcKey;
  private String attackerCertificate;
  private String issuerA;

  @BeforeAll
  void startIssuers() {
    idp = new MockIdp(clock);
    issuerA = idp.issuer("a");
    keyA = idp.signingKey("a");
    keyB = idp.signingKey("b");
    attackerKey = Tokens.newRsaKey("a"); // same kid as A's real key
    attackerEcKey = newEcKey("a");
    attackerCertificate = selfSigned(attackerKey);
    ClaimMapping mapping = new ClaimMapping("sub", "oidc:", "groups", "");
    authenticator = OidcAuthenticator.create(
        List.of(idp.settings("a", mapping, Set.of("RS256", "ES256")), idp.settings("b", mapping)), clock,
        OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stop() {
    authenticator.close();
    idp.close();
  }

  @Test
  void theBaselineTokenIsAccepted() {
    // Every attack below is one change away from this token; it must pass, or the table proves nothing.
    AuthResult result = authenticator.authenticate(valid(c -> c)).join();

    assertThat(result).as("%s", result).isInstanceOf(AuthResult.Authenticated.class);
    assertThat(((AuthResult.Authenticated) result).identity().username()).isEqualTo("oidc:alice");
  }

  Stream<Arguments> attacks() {
    return Stream.of(
        row("alg none (unsigned)", f -> Tokens.base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
            + f.claims(c -> c).toPayload().toBase64URL() + ".", Reason.DISALLOWED_ALGORITHM),
        row("HS256 keyed with A's RSA public key", f -> f.hmacWithPublicKey(), Reason.DISALLOWED_ALGORITHM),
        row("expired", f -> f.valid(c -> c.issueTime(f.ago(2)).notBeforeTime(f.ago(2)).expirationTime(f.ago(1))),
            Reason.EXPIRED),
        row("nbf in the future", f -> f.valid(c -> c.notBeforeTime(f.ahead(1))), Reason.NOT_YET_VALID),
        row("iat a day in the future", f -> f.valid(c -> c.issueTime(f.ahead(24)).expirationTime(f.ahead(25))),
            Reason.ISSUED_IN_FUTURE),
        row("untrusted iss", f -> f.valid(c -> c.issuer("https://evil.example.com")), Reason.UNTRUSTED_ISSUER),
        row("no iss", f -> f.valid(c -> c.issuer(null)), Reason.MISSING_CLAIM),
        row("wrong aud", f -> f.valid(c -> c.audience("another-service")), Reason.WRONG_AUDIENCE),
        row("no aud", f -> f.valid(c -> c.audience((String) null)), Reason.WRONG_AUDIENCE),
        row("no sub", f -> f.valid(c -> c.subject(null)), Reason.MISSING_CLAIM),
        row("no exp", f -> f.valid(c -> c.expirationTime(null)), Reason.MISSING_CLAIM),
        row("payload altered after signing", f -> f.alteredPayload(), Reason.BAD_SIGNATURE),
        row("unknown kid", f -> f.signed(f.attackerKey, Tokens.rs256("no-such-key").build(), f.claims(c -> c)),
            Reason.UNKNOWN_KEY),
        row("attacker key embedded as jwk", f -> f.signed(f.attackerKey,
            Tokens.rs256("a").jwk(f.attackerKey.toPublicJWK()).build(), f.claims(c -> c)), Reason.BAD_SIGNATURE),
        row("attacker keys pointed to by jku", f -> f.signed(f.attackerKey,
            Tokens.rs256("a").jwkURL(URI.create(f.jwksOf("b"))).build(), f.claims(c -> c)), Reason.BAD_SIGNATURE),
        row("attacker certificate pointed to by x5u", f -> f.signed(f.attackerKey,
            Tokens.rs256("a").x509CertURL(URI.create("https://evil.example.com/cert.pem")).build(),
            f.claims(c -> c)), Reason.BAD_SIGNATURE),
        row("unknown crit header", f -> f.signed(f.keyA, Tokens.rs256("a").criticalParams(Set.of("urn:x:must"))
            .customParam("urn:x:must", true).build(), f.claims(c -> c)), Reason.MALFORMED_TOKEN),
        row("iss A signed with B's key under A's kid", f -> f.signed(f.keyB, Tokens.rs256("a").build(),
            f.claims(c -> c)), Reason.BAD_SIGNATURE),
        row("iss A under B's kid", f -> f.signed(f.keyB, Tokens.rs256("b").build(), f.claims(c -> c)),
            Reason.UNKNOWN_KEY),
        row("over-long token", f -> f.valid(c -> c.claim("padding", "x".repeat(TokenParser.MAX_TOKEN_CHARS))),
            Reason.MALFORMED_TOKEN),
        row("bad base64 in the payload", f -> f.valid(c -> c).replaceFirst("\\.(.)", ".!$1"), Reason.MALFORMED_TOKEN),
        row("two segments", f -> "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0", Reason.MALFORMED_TOKEN),
        row("four segments", f -> f.valid(c -> c) + ".eyJ9", Reason.MALFORMED_TOKEN),
        row("five segments (JWE)", f -> "a.b.c.d.e", Reason.MALFORMED_TOKEN),
        row("header not JSON", f -> Tokens.base64Url("not json") + ".eyJzdWIiOiJhIn0.c2ln", Reason.MALFORMED_TOKEN),
        row("disallowed typ", f -> f.signed(f.keyA, Tokens.rs256("a").type(new JOSEObjectType("dpop+jwt")).build(),
            f.claims(c -> c)), Reason.MALFORMED_TOKEN),
        // RS/ES confusion: A publishes only an RSA key; an RSA key never checks an ECDSA signature.
        row("ES256 under A's RSA kid, signed with an attacker EC key", f -> f.signedEc(f.attackerEcKey,
            es256("a").build(), f.claims(c -> c)), Reason.UNKNOWN_KEY),
        row("A's real RS256 token relabelled ES256", f -> f.relabelled(JWSAlgorithm.ES256), Reason.UNKNOWN_KEY),
        row("RS256 under A's kid, ECDSA-signed by the attacker EC key embedded as jwk",
            f -> f.ecdsaSignatureUnderRs256(), Reason.BAD_SIGNATURE),
        row("ES256 without kid, attacker EC key embedded as jwk", f -> f.signedEc(f.attackerEcKey,
            new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(f.attackerEcKey.toPublicJWK()).build(), f.claims(c -> c)),
            Reason.UNKNOWN_KEY),
        // x5c: the attacker's own self-signed certificate for the key that signed the token.
        row("attacker certificate embedded as x5c under A's kid", f -> f.signed(f.attackerKey,
            Tokens.rs256("a").x509CertChain(List.of(new Base64(f.attackerCertificate))).build(), f.claims(c -> c)),
            Reason.BAD_SIGNATURE),
        row("attacker certificate embedded as x5c, no kid", f -> f.signed(f.attackerKey,
            new JWSHeader.Builder(JWSAlgorithm.RS256).x509CertChain(List.of(new Base64(f.attackerCertificate)))
                .build(), f.claims(c -> c)), Reason.BAD_SIGNATURE),
        // Nested JWS: the claims are the outer payload's, never an inner token's.
        row("nested JWS (cty JWT) around A's valid token, outer signed by an attacker", f -> f.nested(f.attackerKey,
            Tokens.rs256("a").contentType("JWT").build(), f.valid(c -> c)), Reason.MALFORMED_TOKEN),
        row("nested JWS (cty JWT) around A's valid token, both signed by A", f -> f.nested(f.keyA,
            Tokens.rs256("a").contentType("JWT").build(), f.valid(c -> c)), Reason.MALFORMED_TOKEN),
        row("A's valid token as the payload, without cty", f -> f.nested(f.keyA, Tokens.rs256("a").build(),
            f.valid(c -> c)), Reason.MALFORMED_TOKEN),
        row("cty JWT over a JSON claims set", f -> f.signed(f.keyA, Tokens.rs256("a").contentType("JWT").build(),
            f.claims(c -> c)), Reason.MALFORMED_TOKEN));
  }

  @ParameterizedTest(name = "{0} is refused as {2}")
  @MethodSource("attacks")
  void attackTokenIsRefused(String attack, Function<AttackTokenTest, String> forge, Reason expected) {
    String token = forge.apply(this);

    AuthResult result = authenticator.authenticate(token).join();

    assertThat(result).as("%s: %s", attack, result).isInstanceOf(AuthFailure.class);
    AuthFailure failure = (AuthFailure) result;
    assertThat(failure.reason()).as("%s (detail: %s)", attack, failure.detail()).isEqualTo(expected);
    assertThat(failure.reason()).as("a forged token is a 401, never an outage").isNotEqualTo(Reason.IDP_UNAVAILABLE);
    assertThat(failure.userMessage()).as("tells the person what to do")
        .containsAnyOf("kgate login", "administrator");
    for (String segment : token.split("\\.")) {
      if (segment.length() > 8) {
        assertThat(failure.userMessage() + failure.detail()).as("no part of the token is echoed").doesNotContain(segment);
      }
    }
  }

  // ---- forging helpers, used by the table rows ----

  private static Arguments row(String attack, Function<AttackTokenTest, String> forge, Reason expected) {
    return Arguments.of(attack, forge, expected);
  }

  String valid(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> change) {
    return signed(keyA, Tokens.rs256("a").build(), claims(change));
  }

  JWTClaimsSet claims(Function<JWTClaimsSet.Builder, JWTClaimsSet.Builder> change) {
    return change.apply(Tokens.validClaims(issuerA, clock.instant())).build();
  }

  String signed(RSAKey key, JWSHeader header, JWTClaimsSet claims) {
    return Tokens.sign(key, header, claims);
  }

  Date ago(int hours) {
    return Date.from(clock.instant().minus(Duration.ofHours(hours)));
  }

  Date ahead(int hours) {
    return Date.from(clock.instant().plus(Duration.ofHours(hours)));
  }

  String jwksOf(String issuerId) {
    return idp.issuer(issuerId) + "/jwks";
  }

  String hmacWithPublicKey() {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("a").build(), claims(c -> c));
      jwt.sign(new MACSigner(keyA.toRSAPublicKey().getEncoded()));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String alteredPayload() {
    String[] parts = valid(c -> c).split("\\.");
    String elevated = claims(c -> c.subject("admin")).toPayload().toBase64URL().toString();
    return parts[0] + "." + elevated + "." + parts[2];
  }

  static JWSHeader.Builder es256(String kid) {
    return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).type(JOSEObjectType.JWT);
  }

  String signedEc(ECKey key, JWSHeader header, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(new ECDSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token A really signed, with only the header's alg changed; payload and signature kept. */
  String relabelled(JWSAlgorithm algorithm) {
    String[] parts = valid(c -> c).split("\\.");
    String header = Tokens.base64Url("{\"alg\":\"" + algorithm.getName() + "\",\"kid\":\"a\",\"typ\":\"JWT\"}");
    return header + "." + parts[1] + "." + parts[2];
  }

  /**
   * An RS256 header naming A's key and carrying the attacker's EC public key, over an ECDSA
   * signature that key made: valid only for a verifier that picks key or algorithm from the token.
   */
  String ecdsaSignatureUnderRs256() {
    try {
      JWSHeader header = Tokens.rs256("a").jwk(attackerEcKey.toPublicJWK()).build();
      String signingInput = header.toBase64URL() + "." + claims(c -> c).toPayload().toBase64URL();
      Base64URL signature = new ECDSASigner(attackerEcKey)
          .sign(es256("a").build(), signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + signature;
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JWS whose payload is another compact token, signed with {@code key}. */
  String nested(RSAKey key, JWSHeader header, String innerToken) {
    try {
      JWSObject outer = new JWSObject(header, new Payload(innerToken));
      outer.sign(new RSASSASigner(key));
      return outer.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ECKey newEcKey(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-signed certificate for the key, base64 DER as x5c carries it. */
  private static String selfSigned(RSAKey key) {
    try {
      X500Name name = new X500Name("CN=evil.example.com");
      Instant now = Instant.now();
      var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), name,
          key.toRSAPublicKey());
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(key.toRSAPrivateKey())));
      return Base64.encode(certificate.getEncoded()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
