package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Good tokens from a real OIDC issuer (mock-oauth2-server) become the right Kubernetes identity. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcAuthenticatorTest {

  private final TestClock clock = TestClock.startingNow();
  private MockIdp idp;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void startIdpAndAuthenticator() {
    idp = new MockIdp(clock);
    List<IssuerSettings> issuers = List.of(
        // "users": preferred_username with a prefix, groups as a JSON list
        idp.settings("users", new ClaimMapping("preferred_username", "oidc:", "groups", "idp:")),
        // "legacy": groups as one comma-separated string, no prefixes
        idp.settings("legacy", new ClaimMapping("sub", "", "roles", "")),
        // "mail": the email address is the user name
        idp.settings("mail", new ClaimMapping("email", "", null, "")));
    authenticator = OidcAuthenticator.create(issuers, clock, OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stop() {
    authenticator.close();
    idp.close();
  }

  @Test
  void usernameClaimGetsItsPrefixAndListGroupsGetTheirs() {
    String token = idp.token("users", "u-123", Map.of(
        "preferred_username", "alice",
        "groups", List.of("sre", "dev"),
        "amr", List.of("pwd", "otp"),
        "acr", "gold",
        "auth_time", clock.instant().minusSeconds(60).getEpochSecond()));

    Identity identity = identityOf(token);

    assertThat(identity.username()).as("username claim plus prefix").isEqualTo("oidc:alice");
    assertThat(identity.groups()).as("each group gets the groups prefix").containsExactly("idp:sre", "idp:dev");
    assertThat(identity.uid()).as("uid is the subject").isEqualTo("u-123");
    assertThat(identity.subject()).isEqualTo("u-123");
    assertThat(identity.issuer()).isEqualTo(idp.issuer("users"));
    assertThat(identity.amr()).containsExactly("pwd", "otp");
    assertThat(identity.acr()).isEqualTo("gold");
    assertThat(identity.authTime()).isEqualTo(clock.instant().minusSeconds(60));
    assertThat(identity.expiresAt()).as("exp of a one-hour token").isEqualTo(clock.instant().plusSeconds(3600));
    assertThat(identity.extra()).isEmpty();
  }

  @Test
  void commaSeparatedGroupsAreSplitAndTrimmed() {
    String token = idp.token("legacy", "bob", Map.of("roles", "ops, audit,,dev ", "amr", "hwk"));

    Identity identity = identityOf(token);

    assertThat(identity.username()).isEqualTo("bob");
    assertThat(identity.groups()).containsExactly("ops", "audit", "dev");
    assertThat(identity.amr()).as("a single amr string is one method").containsExactly("hwk");
    assertThat(identity.acr()).isNull();
    assertThat(identity.authTime()).isNull();
  }

  @Test
  void aMissingGroupsClaimMeansNoGroups() {
    Identity identity = identityOf(idp.token("users", "u-9", Map.of("preferred_username", "carol")));

    assertThat(identity.groups()).isEmpty();
    assertThat(identity.amr()).isEmpty();
  }

  @Test
  void systemGroupsFromTheIdpAreDropped() {
    Identity identity = identityOf(idp.token("legacy", "dave", Map.of("roles", List.of("system:masters", "ops"))));

    assertThat(identity.groups()).as("system: groups must never reach impersonation").containsExactly("ops");
  }

  @Test
  void aVerifiedEmailIsTheUsername() {
    Identity identity = identityOf(idp.token("mail", "e-1",
        Map.of("email", "erin@example.com", "email_verified", true)));

    assertThat(identity.username()).isEqualTo("erin@example.com");
    assertThat(identity.groups()).as("no groups claim configured").isEmpty();
  }

  @Test
  void anUnverifiedEmailIsRefused() {
    AuthFailure failure = failureOf(idp.token("mail", "e-2",
        Map.of("email", "mallory@example.com", "email_verified", false)));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage()).contains("not verified your email");
  }

  @Test
  void anEmailWithoutEmailVerifiedIsRefused() {
    AuthFailure failure = failureOf(idp.token("mail", "e-3", Map.of("email", "frank@example.com")));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.detail()).contains("email_verified");
  }

  @Test
  void aUsernameInTheSystemNamespaceIsRefused() {
    AuthFailure failure = failureOf(idp.token("legacy", "system:admin", Map.of()));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage()).contains("system:");
  }

  @Test
  void anEmptyUsernameIsRefused() {
    AuthFailure failure = failureOf(idp.token("users", "u-10", Map.of("preferred_username", "")));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
  }

  @Test
  void aMissingUsernameClaimIsRefusedAndNamed() {
    AuthFailure failure = failureOf(idp.token("users", "u-11", Map.of()));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage()).contains("\"preferred_username\"");
  }

  @Test
  void noTokenAsksForLogin() {
    for (String missing : new String[] {null, "", "   "}) {
      AuthFailure failure = failureOf(missing);
      assertThat(failure.reason()).isEqualTo(Reason.MISSING_TOKEN);
      assertThat(failure.userMessage()).isEqualTo("this gateway needs an OIDC bearer token: run \"kgate login\"");
    }
  }

  @Test
  void anExpiredTokenSaysToLogInAgain() {
    TestClock later = new TestClock(clock.instant().plus(Duration.ofHours(2)));
    String token = idp.token("users", "u-12", Map.of("preferred_username", "gina"));
    try (OidcAuthenticator twoHoursLater = OidcAuthenticator.create(
        List.of(idp.settings("users", new ClaimMapping("preferred_username", "", null, ""))), later,
        OidcOptions.DEFAULTS)) {

      AuthResult result = twoHoursLater.authenticate(token).join();

      assertThat(result).isInstanceOf(AuthFailure.class);
      AuthFailure failure = (AuthFailure) result;
      assertThat(failure.reason()).isEqualTo(Reason.EXPIRED);
      assertThat(failure.userMessage()).isEqualTo("your token has expired: run \"kgate login\" to get a new one");
    }
  }

  @Test
  void verificationThreadsAreNamedDaemons() {
    identityOf(idp.token("users", "u-13", Map.of("preferred_username", "hank")));

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(thread -> thread.getName().startsWith("kgate-auth-"))
        .as("the authenticator's own threads")
        .isNotEmpty()
        .allMatch(Thread::isDaemon, "daemon");
  }

  private Identity identityOf(String token) {
    AuthResult result = authenticator.authenticate(token).join();
    assertThat(result).as("result for a good token: %s", result).isInstanceOf(AuthResult.Authenticated.class);
    return ((AuthResult.Authenticated) result).identity();
  }

  private AuthFailure failureOf(String token) {
    AuthResult result = authenticator.authenticate(token).join();
    assertThat(result).isInstanceOf(AuthFailure.class);
    return (AuthFailure) result;
  }
}
