package dev.kgate.sim.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import dev.kgate.auth.IssuerSettings.MfaRule;
import dev.kgate.auth.IssuerSettings.TokenTypes;
import dev.kgate.auth.oidc.OidcAuthenticator;
import dev.kgate.auth.oidc.OidcOptions;
import dev.kgate.auth.stepup.LoginStrength;
import dev.kgate.auth.stepup.StepUp;
import dev.kgate.auth.stepup.StepUpChallenge;
import dev.kgate.auth.stepup.StepUpResult;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end with a real Keycloak: users log in through the browser flow (password, and TOTP for
 * bob) without a browser, and the gateway's verifier judges the access tokens Keycloak issues. An
 * issuer rule {@code mfa: { amrAny: [otp] }} admits bob and refuses alice with the MFA command;
 * a token from a login with {@code acr_values=mfa} passes an {@code acrAny: [mfa]} step-up until
 * its {@code auth_time} is older than the rule's max age, then gets the RFC 9470 answer.
 *
 * <p>Keycloak starts once for the class (about a minute cold on two cores). Tagged
 * {@code keycloak}: run with {@code ./mvnw -pl sim -Pkeycloak test -Dtest=KeycloakEndToEndTest}.
 */
@Tag("keycloak")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakEndToEndTest {

  private static final Duration MAX_AGE = Duration.ofMinutes(10);
  private static final LoginStrength FRESH_MFA_ACR = new LoginStrength(false, MAX_AGE, Set.of("mfa"));

  private final MovableClock clock = new MovableClock();
  private KeycloakServer keycloak;
  private KeycloakLogin login;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void startKeycloak() {
    keycloak = KeycloakServer.start(Path.of("target", "keycloak"));
    login = new KeycloakLogin(keycloak.issuer(), KeycloakServer.CLIENT_ID);
    IssuerSettings settings = new IssuerSettings(keycloak.issuer(), List.of(KeycloakServer.AUDIENCE),
        KeycloakServer.CLIENT_ID, IssuerSettings.DEFAULT_ALGORITHMS, IssuerSettings.DEFAULT_CLOCK_SKEW,
        new ClaimMapping("preferred_username", "kc:", "groups", "kc:").withExtra(List.of("acr", "amr", "sid", "iss")),
        null)
        // Keycloak's access tokens say typ JWT (not at+jwt): accept exactly that.
        .withTokenTypes(new TokenTypes(Set.of("JWT"), false))
        .withMfa(new MfaRule(Set.of("otp"), Set.of()));
    authenticator = OidcAuthenticator.create(List.of(settings), clock, OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stopKeycloak() {
    if (authenticator != null) {
      authenticator.close();
    }
    if (keycloak != null) {
      keycloak.close();
    }
  }

  @Test
  void bobWithPasswordAndTotpIsAcceptedUnderAnAmrOtpRule() throws Exception {
    String token = login.login("bob", "bob-pw", totp(), List.of()).accessToken();

    Identity bob = identityOf(token);

    assertThat(SignedJWT.parse(token).getHeader().getType()).as("Keycloak's typ").isEqualTo(JOSEObjectType.JWT);
    assertThat(bob.username()).isEqualTo("kc:bob");
    assertThat(bob.groups()).containsExactly("kc:sre");
    assertThat(bob.amr()).as("password and one-time code").contains("pwd", "otp");
    assertThat(bob.authTime()).as("the browser flow states when bob logged in").isNotNull();
    assertThat(bob.extra()).containsEntry("kgate.dev/amr", bob.amr())
        .containsEntry("kgate.dev/iss", List.of(keycloak.issuer().toString()))
        .containsKey("kgate.dev/sid");
  }

  @Test
  void aliceWithAPasswordOnlyIsRefusedWithTheMfaMessage() {
    String token = login.login("alice", "alice-pw", null, List.of()).accessToken();

    AuthResult result = authenticator.authenticate(token).join();

    assertThat(result).as("%s", result).isInstanceOf(AuthFailure.class);
    AuthFailure failure = (AuthFailure) result;
    assertThat(failure.reason()).isEqualTo(AuthFailure.Reason.MFA_REQUIRED);
    assertThat(failure.userMessage()).isEqualTo(
        "this gateway requires a multi-factor login, and your token shows none: run \"kgate login --mfa\"");
    assertThat(failure.detail()).contains("amr [pwd]");
  }

  @Test
  void aLoginWithoutAcrValuesDoesNotPassAnAcrStepUp() {
    Identity bob = identityOf(login.login("bob", "bob-pw", totp(), List.of()).accessToken());

    assertThat(bob.acr()).as("Keycloak's level without acr_values").isNotEqualTo("mfa");
    assertThat(StepUp.check(bob, FRESH_MFA_ACR, clock)).isInstanceOf(StepUpChallenge.class);
  }

  @Test
  void anMfaAcrLoginPassesStepUpUntilItsAuthTimeIsTooOld() {
    String token = login.login("bob", "bob-pw", totp(), List.of("mfa")).accessToken();
    Identity fresh = identityOf(token);

    assertThat(fresh.acr()).isEqualTo("mfa");
    assertThat(StepUp.check(fresh, FRESH_MFA_ACR, clock)).isSameAs(StepUpResult.SATISFIED);

    clock.advance(MAX_AGE.plusMinutes(1));
    Identity later = identityOf(token); // still unexpired: the realm's tokens live 30 minutes
    StepUpResult result = StepUp.check(later, FRESH_MFA_ACR, clock);

    assertThat(result).as("%s", result).isInstanceOf(StepUpChallenge.class);
    StepUpChallenge challenge = (StepUpChallenge) result;
    assertThat(challenge.acrValues()).containsExactly("mfa");
    assertThat(challenge.maxAge()).isEqualTo(MAX_AGE);
    assertThat(challenge.userMessage()).contains("run \"kgate login --max-age 10m --acr mfa\"");
    assertThat(challenge.wwwAuthenticate())
        .startsWith("Bearer error=\"insufficient_user_authentication\", error_description=\"")
        .endsWith("acr_values=\"mfa\", max_age=600");
  }

  private Identity identityOf(String token) {
    AuthResult result = authenticator.authenticate(token).join();
    assertThat(result).as("%s", result).isInstanceOf(AuthResult.Authenticated.class);
    return ((AuthResult.Authenticated) result).identity();
  }

  private static Totp totp() {
    return new Totp(KeycloakServer.BOB_TOTP_SECRET, Clock.systemUTC());
  }

  /**
   * The gateway's clock: real time (Keycloak stamps tokens with it) plus however far the test moved
   * it forward. Keycloak and the TOTP codes keep the real time.
   */
  private static final class MovableClock extends Clock {

    private final AtomicReference<Duration> ahead = new AtomicReference<>(Duration.ZERO);

    void advance(Duration by) {
      ahead.updateAndGet(offset -> offset.plus(by));
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(ahead.get());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
