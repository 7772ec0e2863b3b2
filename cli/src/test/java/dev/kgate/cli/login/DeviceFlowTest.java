package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device flow (RFC 8628) against a small fake IdP on the JDK's HTTP server: mock-oauth2-server
 * 6.0.2 has no device grant. The fake answers from a script and, like Keycloak with a PKCE client,
 * refuses a device token request whose verifier does not match the challenge.
 */
class DeviceFlowTest {

  @TempDir Path cacheDir;

  private FakeDeviceIdp idp;
  private final MovingClock clock = new MovingClock(Instant.parse("2026-12-06T01:00:00Z"));
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final StringWriter prompts = new StringWriter();

  @BeforeEach
  void start() throws IOException {
    idp = new FakeDeviceIdp();
  }

  @AfterEach
  void stop() {
    idp.close();
  }

  private DeviceFlow flow() {
    OidcClient client = OidcClient.discover(new IdpHttp(null), idp.issuer(), "kgate", clock);
    return new DeviceFlow(client, new PrintWriter(prompts, true), d -> {
      sleeps.add(d);
      clock.advance(d);
    });
  }

  @Test
  void it_polls_at_the_interval_slows_down_by_five_seconds_and_proves_the_pkce_verifier() {
    idp.script("authorization_pending", "slow_down", "authorization_pending", "ok");

    TokenSet tokens = flow().login(AuthParameters.defaults());

    assertThat(tokens.accessToken()).isEqualTo("device.access.token");
    assertThat(sleeps).as("interval 3 s, then 3 + 5 after slow_down")
        .containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofSeconds(8), Duration.ofSeconds(8));
    Map<String, String> authorization = idp.deviceRequests.get(0);
    assertThat(authorization).containsEntry("client_id", "kgate").containsEntry("code_challenge_method", "S256")
        .containsKey("code_challenge").containsEntry("scope", AuthParameters.DEFAULT_SCOPE);
    assertThat(idp.tokenRequests).hasSize(4).allSatisfy(form -> assertThat(form)
        .containsEntry("grant_type", DeviceFlow.GRANT_TYPE).containsEntry("device_code", "dev-123")
        .containsEntry("client_id", "kgate"));
    assertThat(Pkce.challengeOf(idp.tokenRequests.get(3).get("code_verifier")))
        .isEqualTo(authorization.get("code_challenge"));
    assertThat(prompts.toString()).contains("https://idp.test/device").contains("WDJB-MJHT")
        .contains("https://idp.test/device?user_code=WDJB-MJHT").doesNotContain("device.access.token");
  }

  @Test
  void no_pkce_is_sent_to_an_idp_that_does_not_advertise_S256() {
    idp.advertiseS256 = false;
    idp.script("ok");

    flow().login(AuthParameters.defaults());

    assertThat(idp.deviceRequests.get(0)).doesNotContainKey("code_challenge");
    assertThat(idp.tokenRequests.get(0)).doesNotContainKey("code_verifier");
  }

  @Test
  void expired_token_from_the_idp_ends_the_login_with_a_clear_message() {
    idp.script("authorization_pending", "expired_token");

    assertThatThrownBy(() -> flow().login(AuthParameters.defaults())).isInstanceOf(IdpException.class)
        .hasMessageContaining("expired").extracting(e -> ((IdpException) e).error()).isEqualTo("expired_token");
  }

  @Test
  void polling_stops_when_the_device_code_expires_even_if_the_idp_keeps_saying_pending() {
    idp.expiresIn = 10;
    idp.script("authorization_pending", "authorization_pending", "authorization_pending", "authorization_pending",
        "authorization_pending", "ok");

    assertThatThrownBy(() -> flow().login(AuthParameters.defaults())).isInstanceOf(IdpException.class)
        .hasMessageContaining("expired");
    assertThat(idp.tokenRequests).as("polls within 10 s at 3 s").hasSizeLessThanOrEqualTo(4);
  }

  @Test
  void a_denied_login_is_reported_as_denied() {
    idp.script("access_denied");

    assertThatThrownBy(() -> flow().login(AuthParameters.defaults())).hasMessageContaining("denied");
  }

  @Test
  void an_idp_without_a_device_endpoint_is_told_apart() {
    idp.advertiseDevice = false;

    assertThatThrownBy(() -> flow().login(AuthParameters.defaults())).hasMessageContaining("device_authorization_endpoint");
  }

  @Test
  void kgate_login_device_caches_the_tokens() {
    idp.script("authorization_pending", "ok");
    LoginEnvironment environment = new LoginEnvironment(clock, BrowserOpener.none(), d -> clock.advance(d),
        k -> null, () -> true);

    LoginFixture.Run run = LoginFixture.run(new LoginCommand(environment),
        "--issuer", idp.issuer(), "--cache-dir", cacheDir.toString(), "--device");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(new TokenCache(cacheDir, idp.issuer(), "kgate").read()).get()
        .extracting(TokenSet::accessToken).isEqualTo("device.access.token");
  }

  /** A clock the sleeper moves forward. */
  static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** RFC 8628 from the IdP's side, scripted: each token request takes the next answer. */
  static final class FakeDeviceIdp implements AutoCloseable {
    final List<Map<String, String>> deviceRequests = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    volatile boolean advertiseS256 = true;
    volatile boolean advertiseDevice = true;
    volatile long expiresIn = 600;
    private final Deque<String> answers = new ArrayDeque<>();
    private final HttpServer server;
    private volatile String challenge;

    FakeDeviceIdp() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      server.createContext("/.well-known/openid-configuration", this::discovery);
      server.createContext("/device", this::device);
      server.createContext("/token", this::token);
      server.start();
    }

    String issuer() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void script(String... steps) {
      answers.addAll(List.of(steps));
    }

    private void discovery(HttpExchange exchange) throws IOException {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("issuer", issuer());
      document.put("authorization_endpoint", issuer() + "/authorize");
      document.put("token_endpoint", issuer() + "/token");
      if (advertiseDevice) {
        document.put("device_authorization_endpoint", issuer() + "/device");
      }
      if (advertiseS256) {
        document.put("code_challenge_methods_supported", List.of("plain", "S256"));
      }
      respond(exchange, 200, document);
    }

    private void device(HttpExchange exchange) throws IOException {
      Map<String, String> form = form(exchange);
      deviceRequests.add(form);
      challenge = form.get("code_challenge");
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("device_code", "dev-123");
      answer.put("user_code", "WDJB-MJHT");
      answer.put("verification_uri", "https://idp.test/device");
      answer.put("verification_uri_complete", "https://idp.test/device?user_code=WDJB-MJHT");
      answer.put("expires_in", expiresIn);
      answer.put("interval", 3);
      respond(exchange, 200, answer);
    }

    private void token(HttpExchange exchange) throws IOException {
      Map<String, String> form = form(exchange);
      tokenRequests.add(form);
      String step;
      synchronized (this) {
        step = answers.isEmpty() ? "authorization_pending" : answers.poll();
      }
      if (!"ok".equals(step)) {
        respond(exchange, 400, Map.of("error", step));
        return;
      }
      String verifier = form.get("code_verifier");
      if (challenge != null && (verifier == null || !Pkce.challengeOf(verifier).equals(challenge))) {
        respond(exchange, 400, Map.of("error", "invalid_grant", "error_description", "PKCE verification failed"));
        return;
      }
      respond(exchange, 200, Map.of("access_token", "device.access.token", "token_type", "Bearer",
          "expires_in", 300, "refresh_token", "device-refresh"));
    }

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
      return LoopbackReceiver.query(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
      byte[] bytes = Json.write(new LinkedHashMap<>(body)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }
}
