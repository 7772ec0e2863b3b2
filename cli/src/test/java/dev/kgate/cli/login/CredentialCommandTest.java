package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** kgate credential as kubectl's exec plugin: cache, refresh, login only where allowed. */
class CredentialCommandTest {

  /** What kubectl 1.32 passes when stdin is a terminal it hands over (PROTOCOLS.md §8, without cluster info). */
  static final String INTERACTIVE =
      "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":true}}";
  static final String NOT_INTERACTIVE =
      "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"spec\":{\"interactive\":false}}";
  /** Nothing listens here: a test that must not touch the network names this issuer. */
  static final String UNREACHABLE = "https://127.0.0.1:1/nowhere";

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

  private static LoginFixture.Run credential(String execInfo, boolean terminal, String... args) {
    Map<String, String> env = execInfo == null ? Map.of() : Map.of(CredentialCommand.EXEC_INFO, execInfo);
    return LoginFixture.run(new CredentialCommand(fixture.environment(env, () -> terminal)), args);
  }

  @Test
  void a_fresh_cached_token_is_printed_as_a_v1_ExecCredential_without_the_network() {
    Instant expiry = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS);
    new TokenCache(cacheDir, UNREACHABLE, "kgate").write(new TokenSet(UNREACHABLE, "kgate", "the.access.token", null, null, expiry));

    LoginFixture.Run run = credential(NOT_INTERACTIVE, false, "--issuer", UNREACHABLE, "--cache-dir", cacheDir.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).as("stderr").isEmpty();
    assertThat(run.out().lines()).as("one line on stdout").hasSize(1);
    JsonNode credential = JsonMapper.builder().build().readTree(run.out());
    assertThat(credential.get("apiVersion").asString()).isEqualTo("client.authentication.k8s.io/v1");
    assertThat(credential.get("kind").asString()).isEqualTo("ExecCredential");
    assertThat(credential.get("status").get("token").asString()).isEqualTo("the.access.token");
    OffsetDateTime timestamp = OffsetDateTime.parse(credential.get("status").get("expirationTimestamp").asString());
    assertThat(timestamp.toInstant()).as("RFC 3339 expiry, a minute before the token's own")
        .isEqualTo(expiry.minusSeconds(Credentials.MARGIN_SECONDS));
  }

  @Test
  void without_a_cached_token_and_no_terminal_it_prints_one_line_naming_kgate_login_and_fails() {
    LoginFixture.Run run = credential(NOT_INTERACTIVE, true, "--issuer", UNREACHABLE, "--cache-dir", cacheDir.toString());

    assertThat(run.exitCode()).isEqualTo(CredentialCommand.EXIT_LOGIN_REQUIRED);
    assertThat(run.out()).as("stdout").isEmpty();
    assertThat(run.err().lines()).as("stderr").hasSize(1);
    assertThat(run.err()).contains("kgate login --issuer " + UNREACHABLE + " --cache-dir " + cacheDir);
  }

  @Test
  void kubectl_saying_interactive_is_not_enough_without_a_terminal() {
    int opened = fixture.browser.opened.size();

    LoginFixture.Run run = credential(INTERACTIVE, false, LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).isEqualTo(CredentialCommand.EXIT_LOGIN_REQUIRED);
    assertThat(fixture.browser.opened).as("no browser").hasSize(opened);
  }

  @Test
  void run_by_hand_without_KUBERNETES_EXEC_INFO_it_does_not_prompt() {
    LoginFixture.Run run = credential(null, true, LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).isEqualTo(CredentialCommand.EXIT_LOGIN_REQUIRED);
  }

  @Test
  void with_a_terminal_handed_over_it_logs_in_and_keeps_stdout_for_the_credential_alone() throws Exception {
    LoginFixture.Run run = credential(INTERACTIVE, true, LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).as(run.err()).isZero();
    TokenSet cached = TokenSet.fromJson(LoginFixture.readCache(cacheDir, fixture.issuer));
    JsonNode credential = JsonMapper.builder().build().readTree(run.out());
    assertThat(credential.get("status").get("token").asString()).isEqualTo(cached.accessToken());
    assertThat(run.err()).as("the prompt went to stderr").contains("/authorize?").doesNotContain(cached.accessToken());
  }

  @Test
  void a_refresh_token_is_used_before_any_prompt_when_the_token_is_within_a_minute_of_expiry() throws Exception {
    TokenSet loggedIn = fixture.login(cacheDir);
    TokenSet expiring = new TokenSet(loggedIn.issuer(), loggedIn.clientId(), loggedIn.accessToken(), loggedIn.idToken(),
        loggedIn.refreshToken(), Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS));
    new TokenCache(cacheDir, fixture.issuer, "kgate").write(expiring);
    fixture.requests();
    int opened = fixture.browser.opened.size();

    LoginFixture.Run run = credential(INTERACTIVE, true, LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(fixture.browser.opened).as("no browser").hasSize(opened);
    List<LoginFixture.Seen> tokenRequests = fixture.requests().stream().filter(LoginFixture.Seen::isTokenRequest).toList();
    assertThat(tokenRequests).hasSize(1);
    assertThat(tokenRequests.get(0).form()).containsEntry("grant_type", "refresh_token")
        .containsEntry("refresh_token", loggedIn.refreshToken());
    TokenSet cached = TokenSet.fromJson(LoginFixture.readCache(cacheDir, fixture.issuer));
    assertThat(cached.expiresAt()).as("the cache holds the refreshed token").isAfter(expiring.expiresAt());
    assertThat(JsonMapper.builder().build().readTree(run.out()).get("status").get("token").asString())
        .isEqualTo(cached.accessToken());
  }

  @Test
  void ten_parallel_calls_with_an_expired_token_cause_exactly_one_token_request() throws Exception {
    TokenSet loggedIn = fixture.login(cacheDir);
    new TokenCache(cacheDir, fixture.issuer, "kgate").write(new TokenSet(loggedIn.issuer(), loggedIn.clientId(),
        loggedIn.accessToken(), loggedIn.idToken(), loggedIn.refreshToken(), Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS)));
    fixture.requests();

    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Future<LoginFixture.Run>> runs = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        Callable<LoginFixture.Run> call = () -> credential(NOT_INTERACTIVE, false, LoginFixture.args(fixture, cacheDir));
        runs.add(pool.submit(call));
      }
      List<String> tokens = new ArrayList<>();
      for (Future<LoginFixture.Run> run : runs) {
        LoginFixture.Run result = run.get();
        assertThat(result.exitCode()).as(result.err()).isZero();
        tokens.add(JsonMapper.builder().build().readTree(result.out()).get("status").get("token").asString());
      }
      assertThat(fixture.requests().stream().filter(LoginFixture.Seen::isTokenRequest))
          .as("one refresh for ten callers").hasSize(1);
      assertThat(tokens).as("all ten got the refreshed token").containsOnly(
          TokenSet.fromJson(LoginFixture.readCache(cacheDir, fixture.issuer)).accessToken());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_refresh_token_the_idp_rejects_is_dropped_and_a_login_is_asked_for() throws Exception {
    TokenSet loggedIn = fixture.login(cacheDir);
    new TokenCache(cacheDir, fixture.issuer, "kgate").write(new TokenSet(loggedIn.issuer(), loggedIn.clientId(),
        loggedIn.accessToken(), loggedIn.idToken(), "not-a-refresh-token", Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS)));

    LoginFixture.Run run = credential(NOT_INTERACTIVE, false, LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(CredentialCommand.EXIT_LOGIN_REQUIRED);
    assertThat(run.err()).contains("kgate login");
    assertThat(TokenSet.fromJson(LoginFixture.readCache(cacheDir, fixture.issuer)).refreshToken())
        .as("the dead refresh token is not tried again").isNull();
  }

  @Test
  void the_lean_entry_point_answers_a_fresh_cached_token_like_the_command_and_defers_everything_else() throws Exception {
    Instant now = Instant.now();
    Instant expiry = now.plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    new TokenCache(cacheDir, UNREACHABLE, "kgate").write(new TokenSet(UNREACHABLE, "kgate", "t.o.k", null, null, expiry));
    String[] args = {"--issuer", UNREACHABLE + "/", "--cache-dir=" + cacheDir};

    assertThat(CredentialMain.cachedCredential(args, now)).as("fast path")
        .contains(ExecCredential.json(TokenSet.fromJson(Files.readString(new TokenCache(cacheDir, UNREACHABLE, "kgate").file())), now));
    assertThat(CredentialMain.cachedCredential(new String[] {"--issuer", UNREACHABLE, "--cache-dir", cacheDir.toString(),
        "--verbose"}, now)).as("an option it does not know").isEmpty();
    assertThat(CredentialMain.cachedCredential(args, expiry.minusSeconds(30))).as("within the margin").isEmpty();
    assertThat(CredentialMain.cachedCredential(new String[] {"--issuer", UNREACHABLE, "--cache-dir", cacheDir.toString(),
        "--client-id", "other"}, now)).as("another client's entry").isEmpty();
  }

  @Test
  void kubectls_exec_info_is_read_for_spec_interactive_only() {
    assertThat(ExecCredential.interactive(INTERACTIVE)).isTrue();
    assertThat(ExecCredential.interactive(NOT_INTERACTIVE)).isFalse();
    assertThat(ExecCredential.interactive("{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\","
        + "\"spec\":{\"cluster\":{\"server\":\"https://127.0.0.1:18443\",\"insecure-skip-tls-verify\":true,"
        + "\"config\":{\"audience\":\"kgate-test\"}},\"interactive\":false}}")).as("captured from kubectl").isFalse();
    assertThat(ExecCredential.interactive("not json")).isFalse();
    assertThat(ExecCredential.interactive(null)).isFalse();
  }
}
