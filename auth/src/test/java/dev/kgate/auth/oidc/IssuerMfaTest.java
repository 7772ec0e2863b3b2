package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import dev.kgate.auth.IssuerSettings.MfaRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An issuer's MFA floor ({@code mfa: { amrAny, acrAny }}): a token showing one accepted method or
 * class passes, any other is refused with 401 MFA_REQUIRED and the exact command to run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IssuerMfaTest {

  private static final String MFA_MESSAGE =
      "this gateway requires a multi-factor login, and your token shows none: run \"kgate login --mfa\"";

  private final TestClock clock = TestClock.startingNow();
  private MockIdp idp;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void start() {
    idp = new MockIdp(clock);
    ClaimMapping mapping = new ClaimMapping("sub", "", null, "");
    authenticator = OidcAuthenticator.create(List.of(
        idp.settings("amr", mapping).withMfa(new MfaRule(Set.of("mfa", "otp", "hwk"), Set.of())),
        idp.settings("either", mapping).withMfa(new MfaRule(Set.of("otp"), Set.of("mfa", "gold"))),
        idp.settings("open", mapping)),
        clock, OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stop() {
    authenticator.close();
    idp.close();
  }

  @Test
  void passwordPlusOtpMeetsAnAmrRule() {
    assertThat(authenticate("amr", Map.of("amr", List.of("pwd", "otp")))).isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void aSingleAmrStringCounts() {
    assertThat(authenticate("amr", Map.of("amr", "hwk"))).isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void aPasswordAloneIsRefusedWithTheMfaCommand() {
    AuthResult result = authenticate("amr", Map.of("amr", List.of("pwd"), "acr", "mfa"));

    assertThat(result).isInstanceOf(AuthFailure.class);
    AuthFailure failure = (AuthFailure) result;
    assertThat(failure.reason()).isEqualTo(Reason.MFA_REQUIRED);
    assertThat(failure.userMessage()).isEqualTo(MFA_MESSAGE);
    assertThat(failure.detail()).as("acr does not count for an amr-only rule")
        .contains("amr [pwd]").contains(idp.issuer("amr"));
  }

  @Test
  void aTokenWithoutAmrIsRefused() {
    AuthResult result = authenticate("amr", Map.of());

    assertThat(result).isInstanceOf(AuthFailure.class);
    assertThat(((AuthFailure) result).reason()).isEqualTo(Reason.MFA_REQUIRED);
  }

  @Test
  void anAcceptedAcrMeetsARuleWithBoth() {
    // Keycloak's browser flow with acr_values=mfa: acr says it, amr may not.
    assertThat(authenticate("either", Map.of("amr", List.of("pwd"), "acr", "gold")))
        .isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void anAcceptedAmrMeetsARuleWithBoth() {
    // Keycloak's device flow ignores acr_values but reports amr.
    assertThat(authenticate("either", Map.of("amr", List.of("pwd", "otp"), "acr", "pwd")))
        .isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void neitherIsRefusedUnderARuleWithBoth() {
    AuthResult result = authenticate("either", Map.of("amr", List.of("pwd"), "acr", "pwd"));

    assertThat(result).isInstanceOf(AuthFailure.class);
    assertThat(((AuthFailure) result).userMessage()).isEqualTo(MFA_MESSAGE);
  }

  @Test
  void anIssuerWithoutARuleAcceptsAPassword() {
    assertThat(authenticate("open", Map.of("amr", List.of("pwd")))).isInstanceOf(AuthResult.Authenticated.class);
  }

  @Test
  void aRefusedTokenIsNotCached() {
    String token = idp.token("amr", "carl", Map.of("amr", List.of("pwd")));
    authenticator.authenticate(token).join();
    long hits = authenticator.stats().cacheHits();

    AuthResult again = authenticator.authenticate(token).join();

    assertThat(again).isInstanceOf(AuthFailure.class);
    assertThat(authenticator.stats().cacheHits()).as("refusals are never served from the cache").isEqualTo(hits);
  }

  private AuthResult authenticate(String issuerId, Map<String, Object> claims) {
    return authenticator.authenticate(idp.token(issuerId, "user-" + claims.hashCode(), claims)).join();
  }
}
