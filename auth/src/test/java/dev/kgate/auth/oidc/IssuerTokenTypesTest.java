package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import dev.kgate.auth.IssuerSettings.TokenTypes;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each issuer accepts only its configured JOSE {@code typ} values: an RFC 9068 issuer set to
 * {@code at+jwt} refuses ID tokens ({@code JWT}) and untyped tokens, while the default accepts
 * all three; comparison ignores case and the {@code application/} prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerTokenTypesTest {

  private static final String ABSENT = "(absent)";

  private final TestClock clock = TestClock.startingNow();
  private MockIdp idp;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void start() {
    idp = new MockIdp(clock);
    ClaimMapping mapping = new ClaimMapping("sub", "", null, "");
    authenticator = OidcAuthenticator.create(List.of(
        idp.settings("default", mapping),
        idp.settings("rfc9068", mapping).withTokenTypes(new TokenTypes(Set.of("at+jwt"), false)),
        idp.settings("untyped", mapping).withTokenTypes(new TokenTypes(Set.of(), true))),
        clock, OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stop() {
    authenticator.close();
    idp.close();
  }

  @ParameterizedTest(name = "issuer {0}, typ {1}: accepted = {2}")
  @CsvSource({
      "default, JWT, true",
      "default, at+jwt, true",
      "default, (absent), true",
      "rfc9068, at+jwt, true",
      "rfc9068, application/AT+JWT, true",
      "rfc9068, JWT, false",
      "rfc9068, (absent), false",
      "untyped, (absent), true",
      "untyped, JWT, false",
      "untyped, at+jwt, false"})
  void theIssuersTypSetDecides(String issuerId, String typ, boolean accepted) {
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(issuerId);
    if (!typ.equals(ABSENT)) {
      header.type(new JOSEObjectType(typ));
    }
    String token = Tokens.sign(idp.signingKey(issuerId), header.build(),
        Tokens.validClaims(idp.issuer(issuerId), clock.instant()).audience("kgate").build());

    long checksBefore = authenticator.stats().signatureChecks();
    AuthResult result = authenticator.authenticate(token).join();

    if (accepted) {
      assertThat(result).as("%s", result).isInstanceOf(AuthResult.Authenticated.class);
    } else {
      assertThat(result).isInstanceOf(AuthFailure.class);
      AuthFailure failure = (AuthFailure) result;
      assertThat(failure.reason()).isEqualTo(Reason.MALFORMED_TOKEN);
      assertThat(failure.detail()).contains("is not accepted for " + idp.issuer(issuerId));
      assertThat(authenticator.stats().signatureChecks()).as("refused before any signature check")
          .isEqualTo(checksBefore);
    }
  }
}
