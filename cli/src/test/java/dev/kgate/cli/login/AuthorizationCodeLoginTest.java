package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kgate login's browser flow against the simulated IdP, the test acting as the browser. */
class AuthorizationCodeLoginTest {

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
  void a_login_sends_an_S256_challenge_and_redeems_the_code_with_its_verifier() {
    fixture.requests();
    LoginFixture.Run run = LoginFixture.run(new LoginCommand(fixture.environment(Map.of(), () -> true)),
        LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).as(run.err()).isZero();
    List<LoginFixture.Seen> seen = fixture.requests();
    LoginFixture.Seen authorize = seen.stream().filter(s -> s.path().contains("/authorize")).findFirst().orElseThrow();
    LoginFixture.Seen token = seen.stream().filter(LoginFixture.Seen::isTokenRequest).findFirst().orElseThrow();
    Map<String, String> query = authorize.query();
    assertThat(query).as("authorization request").containsEntry("response_type", "code")
        .containsEntry("client_id", "kgate").containsEntry("code_challenge_method", "S256")
        .containsKeys("state", "nonce", "code_challenge");
    assertThat(query.get("redirect_uri")).as("RFC 8252 loopback redirect").matches("http://127\\.0\\.0\\.1:\\d+/callback");
    Map<String, String> form = token.form();
    assertThat(form).as("token request").containsEntry("grant_type", "authorization_code")
        .containsEntry("redirect_uri", query.get("redirect_uri")).containsKey("code_verifier");
    assertThat(Pkce.challengeOf(form.get("code_verifier")))
        .as("the verifier sent at the token endpoint is the one behind the challenge").isEqualTo(query.get("code_challenge"));
    assertThat(form.get("code_verifier")).as("RFC 7636 minimum length").hasSizeGreaterThanOrEqualTo(43);
    assertThat(run.out()).as("no token on stdout").isEmpty();
    assertThat(run.err()).as("the URL is shown to the person").contains("/authorize?");
  }

  @Test
  void the_cache_file_is_private_to_its_owner_and_holds_the_tokens_but_its_name_does_not() throws IOException {
    TokenSet tokens = fixture.login(cacheDir);

    Path file = new TokenCache(cacheDir, fixture.issuer, "kgate").file();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as("file mode").isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir))).as("directory mode").isEqualTo("rwx------");
    assertThat(file.getFileName().toString()).as("file name is the hash of issuer and client id")
        .isEqualTo(TokenCache.key(fixture.issuer, "kgate") + ".json").matches("[0-9a-f]{64}\\.json");
    assertThat(TokenSet.fromJson(Files.readString(file))).as("cached tokens").isEqualTo(tokens);
    assertThat(tokens.refreshToken()).as("the IdP gave a refresh token").isNotNull();
    assertThat(tokens.idToken()).as("the IdP gave an ID token").isNotNull();
    assertThat(tokens.expiresAt()).as("expiry").isAfter(Instant.now());
  }

  @Test
  void a_wider_existing_cache_directory_is_narrowed_to_0700() throws IOException {
    Path wide = cacheDir.resolve("wide");
    Files.createDirectory(wide, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    fixture.login(wide);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(wide))).isEqualTo("rwx------");
  }

  @Test
  void a_callback_whose_state_does_not_match_is_refused_and_the_login_times_out() {
    fixture.requests();
    fixture.browser.tamper = q -> q.replaceAll("state=[^&]*", "state=forged");
    try {
      LoginTarget options = fixture.target(cacheDir);
      OidcClient client = options.client(fixture.environment(Map.of(), () -> true)).get();
      AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client, fixture.browser, new PrintWriter(new StringWriter()),
          Duration.ofSeconds(2));

      assertThatThrownBy(() -> flow.login(AuthParameters.defaults())).isInstanceOf(IdpException.class)
          .hasMessageContaining("no login callback");
      assertThat(fixture.browser.callbackStatuses).as("the forged callback was answered 400").contains(400);
      assertThat(fixture.requests()).as("no code was redeemed").noneMatch(LoginFixture.Seen::isTokenRequest);
    } finally {
      fixture.browser.tamper = q -> q;
    }
  }

  @Test
  void an_error_from_the_idp_on_the_callback_fails_the_login_with_its_code() {
    fixture.browser.tamper = q -> q.replaceAll("code=[^&]*", "error=access_denied&error_description=no");
    try {
      OidcClient client = fixture.target(cacheDir).client(fixture.environment(Map.of(), () -> true)).get();
      AuthorizationCodeFlow flow = new AuthorizationCodeFlow(client, fixture.browser, new PrintWriter(new StringWriter()),
          Duration.ofSeconds(10));

      assertThatThrownBy(() -> flow.login(AuthParameters.defaults())).isInstanceOf(IdpException.class)
          .hasMessageContaining("access_denied");
    } finally {
      fixture.browser.tamper = q -> q;
    }
  }

  @Test
  void step_up_options_become_acr_values_prompt_and_max_age() {
    fixture.requests();
    LoginFixture.Run run = LoginFixture.run(new LoginCommand(fixture.environment(Map.of(), () -> true)),
        LoginFixture.args(fixture, cacheDir, "--mfa", "--acr", "mfa", "--max-age", "10m"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, String> query = fixture.requests().stream().filter(s -> s.path().contains("/authorize"))
        .findFirst().orElseThrow().query();
    assertThat(query).containsEntry("acr_values", "mfa").containsEntry("prompt", "login").containsEntry("max_age", "600");
  }

  @Test
  void a_max_age_that_is_not_a_duration_is_a_usage_error_before_any_network() {
    LoginFixture.Run run = LoginFixture.run(new LoginCommand(fixture.environment(Map.of(), () -> true)),
        "--issuer", "https://127.0.0.1:1/nowhere", "--cache-dir", cacheDir.toString(), "--max-age", "ten minutes");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--max-age");
    assertThat(LoginCommand.parseDuration("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(LoginCommand.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(LoginCommand.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void no_browser_prints_the_url_instead_of_opening_one_and_gives_up_after_the_timeout() {
    int opened = fixture.browser.opened.size();

    LoginFixture.Run run = LoginFixture.run(new LoginCommand(fixture.environment(Map.of(), () -> true)),
        LoginFixture.args(fixture, cacheDir, "--no-browser", "--timeout", "1s"));

    assertThat(fixture.browser.opened).as("no browser").hasSize(opened);
    assertThat(run.err()).contains("open this URL").contains(fixture.issuer + "/authorize?").contains("code_challenge=");
    assertThat(run.exitCode()).as("timed out").isNotZero();
    assertThat(new TokenCache(cacheDir, fixture.issuer, "kgate").read()).isEmpty();
  }

  @Test
  void without_step_up_options_none_of_them_is_sent() {
    URI uri = new AuthorizationCodeFlow(fixture.target(cacheDir).client(fixture.environment(Map.of(), () -> true)).get(),
        BrowserOpener.none(), new PrintWriter(new StringWriter()), Duration.ofSeconds(1))
        .authorizationUri(AuthParameters.defaults(), URI.create("http://127.0.0.1:1/callback"), Pkce.create(), "s", "n");

    assertThat(uri.getRawQuery()).doesNotContain("acr_values").doesNotContain("prompt").doesNotContain("max_age");
  }

  @Test
  void a_second_login_reuses_the_cached_session_without_a_browser() {
    fixture.login(cacheDir);
    fixture.requests();
    int opened = fixture.browser.opened.size();

    LoginFixture.Run run = LoginFixture.run(new LoginCommand(fixture.environment(Map.of(), () -> true)),
        LoginFixture.args(fixture, cacheDir));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(fixture.browser.opened).as("no browser").hasSize(opened);
    assertThat(fixture.requests()).as("no token request").noneMatch(LoginFixture.Seen::isTokenRequest);
  }

  @Test
  void an_id_token_without_the_logins_nonce_is_refused() {
    String idToken = unsignedJwt("{\"sub\":\"alice\",\"nonce\":\"someone-elses\"}");
    TokenSet tokens = new TokenSet("https://idp", "kgate", "a.b.c", idToken, null, Instant.now().plusSeconds(300));

    assertThatThrownBy(() -> AuthorizationCodeFlow.checkNonce(tokens, "mine")).isInstanceOf(IdpException.class)
        .hasMessageContaining("nonce");
    assertThatThrownBy(() -> AuthorizationCodeFlow.checkNonce(
        new TokenSet("https://idp", "kgate", "a.b.c", unsignedJwt("{\"sub\":\"alice\"}"), null, Instant.now()), "mine"))
        .as("an ID token with no nonce at all").isInstanceOf(IdpException.class);
    AuthorizationCodeFlow.checkNonce(tokens, "someone-elses");
  }

  static String unsignedJwt(String payload) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
  }

}
