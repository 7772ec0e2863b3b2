package dev.kgate.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The claim-mapping rules beyond user name and groups: extras copied under {@code kgate.dev/}
 * keys, required-claim rules (tenant, hosted domain) refused in plain words, uid from {@code sub},
 * and each username source with its prefix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimMappingTest {

  private static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

  private final TestClock clock = TestClock.startingNow();
  private MockIdp idp;
  private OidcAuthenticator authenticator;

  @BeforeAll
  void start() {
    idp = new MockIdp(clock);
    Map<String, String> tenantAndDomain = new LinkedHashMap<>();
    tenantAndDomain.put("tid", TENANT);
    tenantAndDomain.put("hd", "example.com");
    List<IssuerSettings> issuers = List.of(
        idp.settings("extras", new ClaimMapping("sub", "sub:", null, "")
            .withExtra(List.of("acr", "amr", "sid", "iss", "AUTH_TIME", "nested", "absent"))),
        idp.settings("tenant", new ClaimMapping("preferred_username", "corp:", "groups", "corp:")
            .withRequired(tenantAndDomain)),
        idp.settings("mail", new ClaimMapping("email", "mail:", null, "")));
    authenticator = OidcAuthenticator.create(issuers, clock, OidcOptions.DEFAULTS);
  }

  @AfterAll
  void stop() {
    authenticator.close();
    idp.close();
  }

  @Test
  void chosenClaimsBecomeLowercaseExtrasUnderKgateDev() {
    Identity identity = identityOf(idp.token("extras", "u-1", Map.of(
        "acr", "mfa",
        "amr", List.of("pwd", "otp"),
        "sid", "session-7",
        "AUTH_TIME", 1_700_000_000L,
        "nested", Map.of("a", "b"))));

    assertThat(identity.extra()).as("scalars and lists of scalars; the issuer too; objects and absent claims left out")
        .containsOnly(
            Map.entry("kgate.dev/acr", List.of("mfa")),
            Map.entry("kgate.dev/amr", List.of("pwd", "otp")),
            Map.entry("kgate.dev/sid", List.of("session-7")),
            Map.entry("kgate.dev/iss", List.of(idp.issuer("extras"))),
            Map.entry("kgate.dev/auth_time", List.of("1700000000")));
    assertThat(identity.username()).as("sub as user name, with its prefix").isEqualTo("sub:u-1");
    assertThat(identity.uid()).as("uid is always sub").isEqualTo("u-1");
  }

  @Test
  void withoutChosenExtrasTheIdentityHasNone() {
    Identity identity = identityOf(idp.token("tenant", "u-2", Map.of(
        "preferred_username", "ann", "tid", TENANT, "hd", "example.com", "acr", "mfa", "sid", "s")));

    assertThat(identity.extra()).isEmpty();
  }

  @Test
  void anAccountOfTheRequiredTenantAndDomainIsAccepted() {
    Identity identity = identityOf(idp.token("tenant", "u-3", Map.of(
        "preferred_username", "ann", "groups", List.of("sre"), "tid", TENANT, "hd", "example.com")));

    assertThat(identity.username()).isEqualTo("corp:ann");
    assertThat(identity.groups()).containsExactly("corp:sre");
    assertThat(identity.uid()).isEqualTo("u-3");
  }

  @Test
  void anotherTenantIsRefusedNamingTheTenantRule() {
    AuthFailure failure = failureOf(idp.token("tenant", "u-4", Map.of(
        "preferred_username", "eve", "tid", "00000000-0000-0000-0000-000000000000", "hd", "example.com")));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage())
        .isEqualTo("this gateway only admits accounts whose tenant (tid) is \"" + TENANT + "\", and yours is"
            + " \"00000000-0000-0000-0000-000000000000\": log in with an account of that organisation"
            + " (run \"kgate login\")");
    assertThat(failure.detail()).contains("required claim tid").contains(idp.issuer("tenant"));
  }

  @Test
  void aMissingHostedDomainIsRefusedNamingTheDomainRule() {
    AuthFailure failure = failureOf(idp.token("tenant", "u-5", Map.of("preferred_username", "gmail-user", "tid", TENANT)));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage())
        .startsWith("this gateway only admits accounts whose hosted domain (hd) is \"example.com\"")
        .contains("your token has no hosted domain (hd)");
  }

  @Test
  void theTenantRuleIsCheckedBeforeTheUsername() {
    AuthFailure failure = failureOf(idp.token("tenant", "u-6", Map.of("tid", "other")));

    assertThat(failure.userMessage()).as("the tenant is the reason, not the missing user name").contains("tenant (tid)");
  }

  @Test
  void aRequiredClaimGivenAsAListIsRefused() {
    AuthFailure failure = failureOf(idp.token("tenant", "u-7", Map.of(
        "preferred_username", "ann", "tid", List.of(TENANT, "other"), "hd", "example.com")));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage()).contains("not a single value");
  }

  @Test
  void aVerifiedEmailGetsTheUsernamePrefix() {
    Identity identity = identityOf(idp.token("mail", "u-8", Map.of("email", "ann@example.com", "email_verified", true)));

    assertThat(identity.username()).isEqualTo("mail:ann@example.com");
  }

  @Test
  void emailVerifiedFalseIsRefusedEvenWithAPrefix() {
    AuthFailure failure = failureOf(idp.token("mail", "u-9", Map.of("email", "ann@example.com", "email_verified", false)));

    assertThat(failure.reason()).isEqualTo(Reason.MAPPING_FAILED);
    assertThat(failure.userMessage()).contains("has not verified your email address");
  }

  @Test
  void emailVerifiedAsTextIsNotTakenForTrue() {
    AuthFailure failure = failureOf(idp.token("mail", "u-10", Map.of("email", "ann@example.com", "email_verified", "true")));

    assertThat(failure.reason()).as("only the JSON boolean true counts").isEqualTo(Reason.MAPPING_FAILED);
  }

  private Identity identityOf(String token) {
    AuthResult result = authenticator.authenticate(token).join();
    assertThat(result).as("result for a good token: %s", result).isInstanceOf(AuthResult.Authenticated.class);
    return ((AuthResult.Authenticated) result).identity();
  }

  private AuthFailure failureOf(String token) {
    AuthResult result = authenticator.authenticate(token).join();
    assertThat(result).as("%s", result).isInstanceOf(AuthFailure.class);
    return (AuthFailure) result;
  }
}
