package dev.kgate.auth.stepup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.auth.Identity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** RFC 9470 step-up: what passes, what gets a challenge, and what the challenge says. */
class StepUpTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  @Test
  void nothingRequiredAlwaysPasses() {
    assertThat(StepUp.check(identity(List.of(), null, null), LoginStrength.NONE, CLOCK))
        .isSameAs(StepUpResult.SATISFIED);
  }

  @Test
  void aSecondFactorInAmrMeetsMfa() {
    for (String method : List.of("otp", "mfa", "hwk", "fpt")) {
      assertThat(StepUp.check(identity(List.of("pwd", method), null, null), LoginStrength.mfaOnly(), CLOCK))
          .as(method).isSameAs(StepUpResult.SATISFIED);
    }
  }

  @Test
  void aPolicyMayNameItsOwnSecondFactors() {
    Identity smsOnly = identity(List.of("pwd", "sms"), null, null);

    assertThat(StepUp.check(smsOnly, LoginStrength.mfaOnly(), CLOCK)).isSameAs(StepUpResult.SATISFIED);
    assertThat(StepUp.check(smsOnly, LoginStrength.mfaOnly(), Set.of("hwk", "otp"), CLOCK))
        .as("sms is not among this policy's methods").isInstanceOf(StepUpChallenge.class);
  }

  @Test
  void aPasswordAloneGetsAChallengeNamingTheMfaCommand() {
    StepUpChallenge challenge = challenge(identity(List.of("pwd"), "pwd", NOW), LoginStrength.mfaOnly());

    assertThat(challenge.userMessage()).isEqualTo(
        "this request needs a stronger or more recent login (your login did not use a second factor):"
            + " run \"kgate login --mfa\", then try again");
    assertThat(challenge.acrValues()).isEmpty();
    assertThat(challenge.maxAge()).isNull();
    assertThat(challenge.wwwAuthenticate()).isEqualTo(
        "Bearer error=\"insufficient_user_authentication\", error_description=\"this request needs a stronger"
            + " or more recent login (your login did not use a second factor): run 'kgate login --mfa',"
            + " then try again\"");
  }

  @Test
  void aFreshLoginWithTheRightAcrPasses() {
    LoginStrength strength = new LoginStrength(false, TEN_MINUTES, Set.of("mfa"));

    assertThat(StepUp.check(identity(List.of("pwd", "otp"), "mfa", NOW.minus(Duration.ofMinutes(9))), strength, CLOCK))
        .isSameAs(StepUpResult.SATISFIED);
  }

  @Test
  void exactlyMaxAgeIsStillFresh() {
    LoginStrength strength = new LoginStrength(false, TEN_MINUTES, Set.of());

    assertThat(StepUp.check(identity(List.of(), null, NOW.minus(TEN_MINUTES)), strength, CLOCK))
        .isSameAs(StepUpResult.SATISFIED);
    assertThat(StepUp.check(identity(List.of(), null, NOW.minus(TEN_MINUTES).minusSeconds(1)), strength, CLOCK))
        .isInstanceOf(StepUpChallenge.class);
  }

  @Test
  void anOldLoginGetsTheRfc9470Answer() {
    LoginStrength strength = new LoginStrength(true, TEN_MINUTES, Set.of("mfa"));

    StepUpChallenge challenge = challenge(
        identity(List.of("pwd", "otp"), "mfa", NOW.minus(Duration.ofMinutes(25))), strength);

    assertThat(challenge.acrValues()).containsExactly("mfa");
    assertThat(challenge.maxAge()).isEqualTo(TEN_MINUTES);
    assertThat(challenge.userMessage()).isEqualTo(
        "this request needs a stronger or more recent login (you logged in 25m ago, and this needs a login"
            + " within the last 10m): run \"kgate login --mfa --max-age 10m --acr mfa\", then try again");
    assertThat(challenge.wwwAuthenticate())
        .startsWith("Bearer error=\"insufficient_user_authentication\", error_description=\"")
        .endsWith("\", acr_values=\"mfa\", max_age=600");
    assertThat(challenge.detail()).contains("auth_time 2026-03-01T11:35:00Z").contains("issuer https://idp.example.com");
  }

  @Test
  void aMissingAuthTimeIsACleanChallengeWhenFreshnessIsRequired() {
    StepUpChallenge challenge = challenge(
        identity(List.of("pwd", "otp"), null, null), new LoginStrength(false, Duration.ofHours(1), Set.of()));

    assertThat(challenge.userMessage()).contains("your token does not say when you logged in")
        .contains("run \"kgate login --max-age 1h\"");
    assertThat(challenge.wwwAuthenticate()).endsWith("max_age=3600");
  }

  @Test
  void aMissingAuthTimeDoesNotMatterWithoutFreshness() {
    assertThat(StepUp.check(identity(List.of("otp"), null, null), LoginStrength.mfaOnly(), CLOCK))
        .isSameAs(StepUpResult.SATISFIED);
  }

  @Test
  void aWrongOrMissingAcrIsChallengedWithAcrValuesInPreferenceOrder() {
    Set<String> preferred = new LinkedHashSet<>(List.of("gold", "silver"));
    LoginStrength strength = new LoginStrength(false, null, preferred);

    StepUpChallenge wrong = challenge(identity(List.of(), "pwd", NOW), strength);
    StepUpChallenge missing = challenge(identity(List.of(), null, NOW), strength);

    assertThat(wrong.userMessage()).contains("your login's authentication level (acr) is \"pwd\"")
        .contains("run \"kgate login --acr gold\"");
    assertThat(missing.userMessage()).contains("your token does not state an authentication level (acr)");
    assertThat(wrong.wwwAuthenticate()).endsWith("acr_values=\"gold silver\"");
    assertThat(StepUp.check(identity(List.of(), "silver", NOW), strength, CLOCK)).isSameAs(StepUpResult.SATISFIED);
  }

  @Test
  void everyUnmetRequirementIsListedInOneChallenge() {
    StepUpChallenge challenge = challenge(identity(List.of("pwd"), "pwd", NOW.minus(Duration.ofHours(3))),
        new LoginStrength(true, Duration.ofMinutes(15), Set.of("mfa")));

    assertThat(challenge.userMessage())
        .contains("your login did not use a second factor; your login's authentication level (acr) is \"pwd\";"
            + " you logged in 3h ago, and this needs a login within the last 15m");
  }

  @Test
  void theHeaderNeverCarriesQuotesOrNonAsciiFromTheAcr() {
    StepUpChallenge challenge = challenge(identity(List.of(), "p\"w\u00e9", NOW),
        new LoginStrength(false, null, Set.of("urn:x:loa:2")));

    String header = challenge.wwwAuthenticate();
    String description = header.substring(header.indexOf("error_description=\"") + 19, header.indexOf("\", acr_values"));
    assertThat(description).doesNotContain("\"").matches("[\\x20-\\x7e]*");
  }

  @Test
  void aRequirementWithoutPositiveMaxAgeIsRefused() {
    assertThatThrownBy(() -> new LoginStrength(false, Duration.ZERO, Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LoginStrength(false, null, Set.of(" ")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durationsAreWrittenAsTheCliTakesThem() {
    assertThat(StepUp.compact(Duration.ofSeconds(90))).isEqualTo("90s");
    assertThat(StepUp.compact(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(StepUp.compact(Duration.ofHours(12))).isEqualTo("12h");
    assertThat(StepUp.compact(Duration.ofDays(2))).isEqualTo("2d");
    assertThat(StepUp.rounded(Duration.ofSeconds(1513))).isEqualTo("25m");
  }

  private static StepUpChallenge challenge(Identity identity, LoginStrength strength) {
    StepUpResult result = StepUp.check(identity, strength, CLOCK);
    assertThat(result).as("%s", result).isInstanceOf(StepUpChallenge.class);
    return (StepUpChallenge) result;
  }

  private static Identity identity(List<String> amr, String acr, Instant authTime) {
    return new Identity("alice", "u-1", List.of(), Map.of(), "https://idp.example.com", "u-1",
        amr, acr, authTime, NOW.plus(Duration.ofHours(1)));
  }
}
