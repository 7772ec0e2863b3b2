package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kgate logout (RFC 7009, then the cache entry goes) and kgate whoami (claims, no network). */
class LogoutAndWhoamiTest {

  @TempDir static Path shared;
  static LoginFixture fixture;

  @TempDir Path cacheDir;

  @BeforeAll
  static void startIdp() throws Exception {
    fixture = new LoginFixture(shared);
  }

  @AfterAll
  static void stopIdp() {
    fixture.close();
  }

  @Test
  void logout_revokes_the_refresh_token_at_the_advertised_endpoint_and_deletes_the_cache_entry() {
    TokenSet tokens = fixture.login(cacheDir);
    Path file = new TokenCache(cacheDir, fixture.issuer, "kgate").file();
    fixture.requests();

    LoginFixture.Run run = LoginFixture.run(new LogoutCommand(fixture.environment(Map.of(), () -> true)),
        LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<LoginFixture.Seen> revocations = fixture.requests().stream()
        .filter(s -> "POST".equals(s.method()) && s.path().contains("revoke")).toList();
    assertThat(revocations).hasSize(1);
    assertThat(revocations.get(0).form()).containsEntry("token", tokens.refreshToken())
        .containsEntry("token_type_hint", "refresh_token").containsEntry("client_id", "kgate");
    assertThat(file).doesNotExist();
    assertThat(run.out() + run.err()).doesNotContain(tokens.refreshToken()).doesNotContain(tokens.accessToken());
  }

  @Test
  void logout_still_forgets_the_tokens_when_the_idp_cannot_be_reached() {
    String unreachable = "https://127.0.0.1:1/nowhere";
    TokenCache cache = new TokenCache(cacheDir, unreachable, "kgate");
    cache.write(new TokenSet(unreachable, "kgate", "a.b.c", null, "r", Instant.now().plusSeconds(300)));

    LoginFixture.Run run = LoginFixture.run(new LogoutCommand(fixture.environment(Map.of(), () -> true)),
        "--issuer", unreachable, "--cache-dir", cacheDir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("warning: could not revoke");
    assertThat(cache.file()).doesNotExist();
  }

  @Test
  void whoami_shows_subject_name_groups_amr_acr_auth_time_and_expiry_from_the_cache_alone() {
    String unreachable = "https://127.0.0.1:1/nowhere";
    long authTime = Instant.now().minusSeconds(300).getEpochSecond();
    String accessToken = fixture.idp.mintToken("u-1234", Map.of("preferred_username", "alice",
        "groups", List.of("sre", "payments"), "amr", List.of("pwd", "otp"), "acr", "mfa", "auth_time", authTime),
        Duration.ofMinutes(10));
    Instant expiry = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    new TokenCache(cacheDir, unreachable, "kgate").write(new TokenSet(unreachable, "kgate", accessToken, null, null, expiry));

    LoginFixture.Run run = LoginFixture.run(new WhoamiCommand(fixture.environment(Map.of(), () -> true)),
        "--issuer", unreachable, "--cache-dir", cacheDir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("u-1234").contains("alice").contains("sre, payments").contains("pwd, otp")
        .containsPattern("acr:\\s+mfa").contains(Instant.ofEpochSecond(authTime).toString()).contains(expiry.toString())
        .doesNotContain(accessToken);
  }

  @Test
  void whoami_without_a_login_says_so_and_fails() {
    LoginFixture.Run run = LoginFixture.run(new WhoamiCommand(fixture.environment(Map.of(), () -> true)),
        "--issuer", fixture.issuer, "--cache-dir", cacheDir.toString());

    assertThat(run.exitCode()).isEqualTo(WhoamiCommand.EXIT_NOT_LOGGED_IN);
    assertThat(run.err()).contains("not logged in");
  }

  @Test
  void the_kgate_command_has_login_credential_logout_and_whoami() {
    for (String command : List.of("login", "credential", "logout", "whoami")) {
      CapturedRun run = CapturedRun.of(command, "--help");
      assertThat(run.exitCode()).as(command).isZero();
      assertThat(run.out()).as(command).contains("--issuer");
    }
  }

  @Test
  void a_corrupt_cache_file_counts_as_not_logged_in() throws Exception {
    TokenCache cache = new TokenCache(cacheDir, fixture.issuer, "kgate");
    cache.write(new TokenSet(fixture.issuer, "kgate", "a.b.c", null, null, Instant.now().plusSeconds(300)));
    Files.writeString(cache.file(), "{not json");

    assertThat(cache.read()).isEmpty();
  }
}
