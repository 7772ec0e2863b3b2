package dev.kgate.sim.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SimIdpTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static SimIdp idp;
  private static HttpClient https;

  @BeforeAll
  static void start() {
    idp = SimIdp.start();
    https = HttpClient.newBuilder().sslContext(idp.pki().jdkClientContext(null)).build();
  }

  @AfterAll
  static void stop() {
    idp.close();
  }

  private static JsonNode get(URI uri) throws Exception {
    HttpResponse<String> response = https.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(uri.toString()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Verifies like a relying party: discovery, then the JWKS it names, RS256 only. */
  private static JWTClaimsSet verify(String token) throws Exception {
    JsonNode discovery = get(URI.create(idp.issuer() + "/.well-known/openid-configuration"));
    assertThat(discovery.path("issuer").stringValue()).isEqualTo(idp.issuer().toString());
    JWKSet keys = JWKSet.parse(get(URI.create(discovery.path("jwks_uri").stringValue())).toString());
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(keys)));
    return processor.process(token, null);
  }

  @Test
  void theIssuerIsServedOverHttpsOnLoopbackWithTheKgateIssuerId() {
    assertThat(idp.issuer().getScheme()).isEqualTo("https");
    assertThat(idp.issuer().getPath()).isEqualTo("/kgate");
    assertThat(idp.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
  }

  @Test
  void aMintedTokenVerifiesAgainstTheJwksFoundThroughDiscovery() throws Exception {
    String token = idp.mintToken("alice", Map.of(
        "groups", List.of("sre", "dev"),
        "email", "alice@example.com",
        "email_verified", true,
        "amr", List.of("pwd", "mfa")), Duration.ofMinutes(10));

    JWTClaimsSet claims = verify(token);

    assertThat(claims.getIssuer()).isEqualTo(idp.issuer().toString());
    assertThat(claims.getSubject()).isEqualTo("alice");
    assertThat(claims.getAudience()).containsExactly(SimIdp.DEFAULT_AUDIENCE);
    assertThat(claims.getStringListClaim("groups")).containsExactly("sre", "dev");
    assertThat(claims.getStringListClaim("amr")).containsExactly("pwd", "mfa");
    assertThat(claims.getBooleanClaim("email_verified")).isTrue();
    assertThat(claims.getNotBeforeTime()).isNotNull();
    assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void theAudienceComesFromTheClaimsWhenGiven() throws Exception {
    String token = idp.mintToken("bob", Map.of("aud", List.of("kgate", "other")), Duration.ofMinutes(1));

    assertThat(verify(token).getAudience()).containsExactly("kgate", "other");
  }

  @Test
  void aTamperedTokenDoesNotVerify() {
    String token = idp.mintToken("carol", Map.of(), Duration.ofMinutes(1));
    String[] parts = token.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

    assertThatThrownBy(() -> verify(tampered)).isInstanceOf(BadJOSEException.class);
  }
}
