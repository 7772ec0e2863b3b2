package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Settings the verifier cannot use safely are reported, all at once, before anything starts. */
class IssuerSettingsCheckTest {

  @Test
  void ordinarySettingsHaveNoProblem() {
    assertThat(IssuerSettingsCheck.problems(settings("https://idp.example.com/realms/eng", List.of("kgate"),
        Set.of("RS256", "PS256", "ES256", "EdDSA")))).isEmpty();
    assertThat(IssuerSettingsCheck.problems(settings("http://127.0.0.1:8080/demo", List.of("kgate"),
        Set.of("RS256")))).as("loopback http for tests and the demo").isEmpty();
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource({"HS256", "HS512", "none", "ES256K", "RSA-OAEP", "rs256"})
  void symmetricUnsignedAndUnknownAlgorithmsAreRefused(String algorithm) {
    assertThat(IssuerSettingsCheck.problems(settings("https://idp.example.com", List.of("kgate"), Set.of(algorithm))))
        .singleElement().asString().startsWith("algorithms: " + algorithm);
  }

  @Test
  void plainHttpToARemoteIdpIsRefused() {
    assertThat(IssuerSettingsCheck.problems(settings("http://idp.example.com", List.of("kgate"), Set.of("RS256"))))
        .singleElement().asString().contains("loopback");
  }

  @Test
  void everyProblemIsReportedTogether() {
    IssuerSettings bad = settings("http://idp.example.com?x=1", List.of(), Set.of("HS256"));

    assertThat(IssuerSettingsCheck.problems(bad)).hasSize(4);
    assertThatThrownBy(() -> OidcAuthenticator.create(List.of(bad), Clock.systemUTC(), OidcOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("HS256").hasMessageContaining("audience");
  }

  @Test
  void theSameIssuerTwiceIsRefused() {
    IssuerSettings one = settings("https://idp.example.com", List.of("kgate"), Set.of("RS256"));

    assertThatThrownBy(() -> OidcAuthenticator.create(List.of(one, one), Clock.systemUTC(), OidcOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("configured twice");
  }

  @Test
  void optionsThatNimbusWouldRejectAreRefusedUpFront() {
    assertThatThrownBy(() -> OidcOptions.DEFAULTS.withJwksCache(Duration.ofSeconds(30), Duration.ofSeconds(30)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jwksCacheTtl");
  }

  @Test
  void unusableTypsExtrasRequiredClaimsAndMfaValuesAreReported() {
    IssuerSettings good = settings("https://idp.example.com", List.of("kgate"), Set.of("RS256"));
    IssuerSettings bad = good
        .withTokenTypes(new IssuerSettings.TokenTypes(Set.of("dpop+jwt"), true))
        .withClaims(good.claims()
            .withExtra(List.of("acr", "ACR", "https://example.com/claims/x"))
            .withRequired(java.util.Map.of("tid", "")))
        .withMfa(new IssuerSettings.MfaRule(Set.of(" "), Set.of("")));

    assertThat(IssuerSettingsCheck.problems(bad)).containsExactlyInAnyOrder(
        "typ: dpop+jwt is not a token type kgate accepts; use JWT, at+jwt or absent",
        "claims.extra: ACR is listed twice (keys are lowercase)",
        "claims.extra: https://example.com/claims/x is not a claim name that can become an extra key"
            + " (letters, digits, '_', '-', '.'; at most 63 characters)",
        "claims.required.tid: the required value is empty",
        "mfa.amrAny: values must not be empty",
        "mfa.acrAny: values must not be empty");
  }

  @Test
  void anIssuerThatAcceptsNoTokenTypeAtAllIsRefused() {
    IssuerSettings none = settings("https://idp.example.com", List.of("kgate"), Set.of("RS256"))
        .withTokenTypes(new IssuerSettings.TokenTypes(Set.of(), false));

    assertThat(IssuerSettingsCheck.problems(none)).containsExactly("typ: at least one accepted token type is required");
  }

  private static IssuerSettings settings(String issuer, List<String> audiences, Set<String> algorithms) {
    return new IssuerSettings(URI.create(issuer), audiences, "kgate-cli", algorithms, Duration.ofSeconds(30),
        new ClaimMapping("sub", "", "groups", ""), null);
  }
}
