package dev.kgate.sim.idp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo IdP as a client sees it: the login page, the second factor only when a stronger login
 * is asked for, PKCE, single-use codes, refresh rotation, loopback-only redirects, and tokens the
 * published keys verify.
 */
class LoginPageIdpTest {

  private static final LoginPageIdp.User ALICE = new LoginPageIdp.User("alice", "alice-pw", "alice@example.com",
      List.of("sre"), "424242");
  private static final LoginPageIdp.User BOB = new LoginPageIdp.User("bob", "bob-pw", "bob@example.com",
      List.of("dev"), null);
  private static final String VERIFIER = "a-verifier-long-enough-to-be-a-real-pkce-verifier-0123456789";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static LoginPageIdp idp;
  private static HttpClient http;

  private HttpServer callbackServer;
  private CompletableFuture<String> callbackQuery;

  @BeforeAll
  static void start() {
    idp = LoginPageIdp.start(List.of(ALICE, BOB), "kgate", "kubernetes", Clock.systemUTC());
    http = HttpClient.newBuilder().sslContext(idp.pki().jdkClientContext(null))
        .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @AfterAll
  static void stop() {
    idp.close();
  }

  @BeforeEach
  void listen() throws Exception {
    callbackQuery = new CompletableFuture<>();
    callbackServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    callbackServer.createContext("/callback", exchange -> {
      callbackQuery.complete(exchange.getRequestURI().getRawQuery());
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    callbackServer.start();
  }

  @AfterEach
  void stopListening() {
    callbackServer.stop(0);
  }

  @Test
  void a_plain_login_gives_a_password_only_token_that_the_published_keys_verify() throws Exception {
    JsonNode tokens = exchange(code(authorizationUrl(""), ALICE.username(), ALICE.password(), null), VERIFIER);
    SignedJWT access = SignedJWT.parse(tokens.path("access_token").stringValue());
    RSAKey key = (RSAKey) JWKSet.parse(get(idp.issuer() + "/jwks").body()).getKeyByKeyId(access.getHeader().getKeyID());
    assertThat(access.verify(new RSASSAVerifier(key))).isTrue();
    assertThat(access.getJWTClaimsSet().getIssuer()).isEqualTo(idp.issuer().toString());
    assertThat(access.getJWTClaimsSet().getAudience()).containsExactly("kubernetes");
    assertThat(access.getJWTClaimsSet().getStringListClaim("amr")).containsExactly("pwd");
    assertThat(access.getJWTClaimsSet().getStringClaim("acr")).isEqualTo("pwd");
    assertThat(access.getJWTClaimsSet().getStringListClaim("groups")).containsExactly("sre");
    assertThat(SignedJWT.parse(tokens.path("id_token").stringValue()).getJWTClaimsSet().getStringClaim("nonce"))
        .isEqualTo("n-1");
  }

  @Test
  void a_stronger_login_asks_for_the_one_time_code_and_refuses_a_wrong_one() throws Exception {
    String url = authorizationUrl("&acr_values=mfa");
    HttpResponse<String> page = get(url);
    assertThat(page.body()).contains("name=\"otp\"");
    assertThatThrownBy(() -> code(url, ALICE.username(), ALICE.password(), "000000"))
        .hasMessageContaining("Invalid one-time code.");
    JsonNode tokens = exchange(code(url, ALICE.username(), ALICE.password(), ALICE.oneTimeCode()), VERIFIER);
    var claims = SignedJWT.parse(tokens.path("access_token").stringValue()).getJWTClaimsSet();
    assertThat(claims.getStringListClaim("amr")).containsExactly("pwd", "otp");
    assertThat(claims.getStringClaim("acr")).isEqualTo("mfa");
  }

  @Test
  void a_person_without_a_second_factor_stays_at_password_strength_when_more_is_asked() throws Exception {
    JsonNode tokens = exchange(code(authorizationUrl("&prompt=login"), BOB.username(), BOB.password(), "123456"), VERIFIER);
    assertThat(SignedJWT.parse(tokens.path("access_token").stringValue()).getJWTClaimsSet().getStringListClaim("amr"))
        .containsExactly("pwd");
  }

  @Test
  void a_wrong_password_shows_the_form_again() {
    assertThatThrownBy(() -> code(authorizationUrl(""), ALICE.username(), "guess", null))
        .hasMessageContaining("Invalid username or password.");
  }

  @Test
  void codes_need_the_pkce_verifier_and_work_once() throws Exception {
    String code = code(authorizationUrl(""), ALICE.username(), ALICE.password(), null);
    JsonNode wrong = tokenRequest(Map.of("grant_type", "authorization_code", "code", code, "client_id", "kgate",
        "redirect_uri", redirectUri(), "code_verifier", "another-verifier-of-sufficient-length-0123456789"));
    assertThat(wrong.path("error").stringValue()).isEqualTo("invalid_grant");
    // The failed attempt used the code up: a code is single use whatever happens.
    assertThat(exchangeRaw(code, VERIFIER).path("error").stringValue()).isEqualTo("invalid_grant");
  }

  @Test
  void refresh_tokens_rotate_and_keep_the_login_strength() throws Exception {
    JsonNode first = exchange(code(authorizationUrl("&acr_values=mfa"), ALICE.username(), ALICE.password(),
        ALICE.oneTimeCode()), VERIFIER);
    String refresh = first.path("refresh_token").stringValue();
    JsonNode second = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "kgate"));
    assertThat(second.path("access_token").isString()).isTrue();
    assertThat(SignedJWT.parse(second.path("access_token").stringValue()).getJWTClaimsSet().getStringListClaim("amr"))
        .containsExactly("pwd", "otp");
    JsonNode reused = tokenRequest(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "kgate"));
    assertThat(reused.path("error").stringValue()).isEqualTo("invalid_grant");
  }

  @Test
  void a_redirect_that_is_not_loopback_is_refused_without_redirecting() throws Exception {
    HttpResponse<String> answer = get(idp.issuer() + "/authorize?response_type=code&client_id=kgate"
        + "&redirect_uri=" + encode("https://evil.example.com/cb") + "&code_challenge=x&code_challenge_method=S256");
    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.headers().firstValue("Location")).isEmpty();
    assertThat(answer.body()).contains("redirect_uri must be");
  }

  private String redirectUri() {
    return "http://127.0.0.1:" + callbackServer.getAddress().getPort() + "/callback";
  }

  private String authorizationUrl(String extra) {
    return idp.issuer() + "/authorize?response_type=code&client_id=kgate&scope=openid&state=s-1&nonce=n-1"
        + "&redirect_uri=" + encode(redirectUri()) + "&code_challenge=" + LoginPageIdp.s256(VERIFIER)
        + "&code_challenge_method=S256" + extra;
  }

  /** Signs in with the browser helper and returns the code the callback received. */
  private String code(String authorizationUrl, String username, String password, String otp) throws Exception {
    callbackQuery = new CompletableFuture<>();
    int status = new LoginPageBrowser(idp.pki().jdkClientContext(null)).signIn(URI.create(authorizationUrl), username,
        password, otp);
    assertThat(status).isEqualTo(200);
    Map<String, String> query = LoginPageIdp.form(callbackQuery.get(10, TimeUnit.SECONDS));
    assertThat(query).containsEntry("state", "s-1").containsEntry("iss", idp.issuer().toString());
    return query.get("code");
  }

  private JsonNode exchange(String code, String verifier) throws Exception {
    JsonNode tokens = exchangeRaw(code, verifier);
    assertThat(tokens.path("access_token").isString()).as(tokens.toString()).isTrue();
    return tokens;
  }

  private JsonNode exchangeRaw(String code, String verifier) throws Exception {
    return tokenRequest(Map.of("grant_type", "authorization_code", "code", code, "client_id", "kgate",
        "redirect_uri", redirectUri(), "code_verifier", verifier));
  }

  private JsonNode tokenRequest(Map<String, String> form) throws Exception {
    String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(idp.issuer() + "/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
