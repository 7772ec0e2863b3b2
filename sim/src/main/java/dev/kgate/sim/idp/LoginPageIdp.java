package dev.kgate.sim.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's identity provider: a small OpenID Connect provider with a real login page, so that
 * {@code kgate demo} signs people in the way a company IdP does, with no token minted behind their
 * back. It serves discovery, its keys, the authorization endpoint (a login form with username,
 * password and, when the client asks for a stronger login, a one-time code), and the token
 * endpoint (Authorization Code with PKCE S256 only, and refresh) over HTTPS on 127.0.0.1.
 *
 * <p>What it does not do, on purpose: no IdP session (every authorization shows the form, so
 * {@code auth_time} is always the moment of that login), no consent, no device grant, one public
 * client, redirects only to loopback addresses (RFC 8252 §7.3). The second factor is a fixed code
 * per user, printed by the demo: it stands for an authenticator app.
 *
 * <p>A client asks for the second factor with {@code acr_values=mfa} or {@code prompt=login}
 * ({@code kgate login --mfa}); a user who has one then gets {@code amr [pwd, otp]} and
 * {@code acr mfa}, otherwise {@code amr [pwd]} and {@code acr pwd}.
 */
public final class LoginPageIdp implements AutoCloseable {

  /** One person who can sign in; {@code oneTimeCode} null for a person without a second factor. */
  public record User(String username, String password, String email, List<String> groups, String oneTimeCode) {
    public User {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(email, "email");
      groups = List.copyOf(groups);
    }
  }

  public static final Duration ACCESS_TOKEN_TTL = Duration.ofHours(1);
  public static final Duration REFRESH_TOKEN_TTL = Duration.ofHours(12);
  static final Duration CODE_TTL = Duration.ofSeconds(60);
  static final Duration PENDING_TTL = Duration.ofMinutes(10);
  static final String AUTHORIZE = "/authorize";
  static final String TOKEN = "/token";
  static final String REVOKE = "/revoke";
  static final String JWKS = "/jwks";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, User> users;
  private final String clientId;
  private final String audience;
  private final Clock clock;
  private final TestPki pki;
  private final RSAKey signingKey;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final URI issuer;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

  /** An authorization request waiting for the person to fill in the form. */
  private record Pending(Map<String, String> request, boolean wantsSecondFactor, Instant expires) {}

  /** What a code or refresh token stands for. */
  private record Grant(User user, String redirectUri, String codeChallenge, String nonce, String scope,
      List<String> amr, String acr, Instant authTime, Instant expires) {}

  private LoginPageIdp(List<User> users, String clientId, String audience, Clock clock) throws IOException, JOSEException {
    Map<String, User> byName = new LinkedHashMap<>();
    users.forEach(user -> byName.put(user.username(), user));
    this.users = Map.copyOf(byName);
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.audience = Objects.requireNonNull(audience, "audience");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pki = TestPki.create("kgate demo IdP CA");
    IssuedCertificate serving = pki.issueServer("kgate-demo-idp", List.of("localhost"), List.of("127.0.0.1"));
    this.signingKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(pki.jdkServerContext(serving)));
    this.executor = Executors.newFixedThreadPool(4, runnable -> {
      Thread thread = new Thread(runnable, "kgate-demo-idp");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    this.issuer = URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the IdP on a free loopback port. */
  public static LoginPageIdp start(List<User> users, String clientId, String audience, Clock clock) {
    try {
      return new LoginPageIdp(users, clientId, audience, clock);
    } catch (IOException | JOSEException e) {
      throw new IllegalStateException("cannot start the demo IdP: " + e.getMessage(), e);
    }
  }

  /** {@code https://127.0.0.1:<port>}; discovery is below it. */
  public URI issuer() {
    return issuer;
  }

  public String caCertificatePem() {
    return pki.caCertificatePem();
  }

  /** The PKI behind the IdP's certificate, for clients that must trust it. */
  public TestPki pki() {
    return pki;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (path.equals("/.well-known/openid-configuration") && method.equals("GET")) {
        json(exchange, 200, discovery());
      } else if (path.equals(JWKS) && method.equals("GET")) {
        byte[] body = new JWKSet(signingKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        send(exchange, 200, "application/json", body);
      } else if (path.equals(AUTHORIZE) && method.equals("GET")) {
        authorize(exchange, form(exchange.getRequestURI().getRawQuery()));
      } else if (path.equals(AUTHORIZE) && method.equals("POST")) {
        signIn(exchange, form(body(exchange)));
      } else if (path.equals(TOKEN) && method.equals("POST")) {
        token(exchange, form(body(exchange)));
      } else if (path.equals(REVOKE) && method.equals("POST")) {
        refreshTokens.remove(form(body(exchange)).getOrDefault("token", ""));
        send(exchange, 200, "text/plain", new byte[0]); // RFC 7009 §2.2: 200 whether or not it was known
      } else {
        send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
      }
    } catch (RuntimeException | JOSEException e) {
      send(exchange, 500, "text/plain", "the demo IdP failed\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private Map<String, Object> discovery() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("issuer", issuer.toString());
    document.put("authorization_endpoint", issuer + AUTHORIZE);
    document.put("token_endpoint", issuer + TOKEN);
    document.put("revocation_endpoint", issuer + REVOKE);
    document.put("jwks_uri", issuer + JWKS);
    document.put("response_types_supported", List.of("code"));
    document.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    document.put("code_challenge_methods_supported", List.of("S256"));
    document.put("acr_values_supported", List.of("pwd", "mfa"));
    document.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
    return document;
  }

  /** GET /authorize: checks the request, then shows the login form. */
  private void authorize(HttpExchange exchange, Map<String, String> request) throws IOException {
    String problem = requestProblem(request);
    if (problem != null) {
      // Never redirect a bad request: the redirect URI itself may be the problem (RFC 6749 §4.1.2.1).
      page(exchange, 400, LoginPage.error(problem));
      return;
    }
    boolean secondFactor = request.getOrDefault("acr_values", "").contains("mfa")
        || "login".equals(request.get("prompt"));
    String id = token();
    pending.put(id, new Pending(request, secondFactor, clock.instant().plus(PENDING_TTL)));
    page(exchange, 200, LoginPage.form(id, secondFactor, null));
  }

  private String requestProblem(Map<String, String> request) {
    if (!clientId.equals(request.get("client_id"))) {
      return "unknown client_id";
    }
    if (!loopback(request.get("redirect_uri"))) {
      return "redirect_uri must be http://127.0.0.1:<port>/… or http://localhost:<port>/…";
    }
    if (!"code".equals(request.get("response_type"))) {
      return "response_type must be code";
    }
    if (!"S256".equals(request.get("code_challenge_method")) || request.getOrDefault("code_challenge", "").isEmpty()) {
      return "PKCE with S256 is required";
    }
    return null;
  }

  private static boolean loopback(String redirect) {
    if (redirect == null) {
      return false;
    }
    try {
      URI uri = new URI(redirect);
      return "http".equals(uri.getScheme()) && Set.of("127.0.0.1", "localhost", "[::1]").contains(uri.getHost())
          && uri.getPort() > 0 && uri.getRawFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** POST /authorize: the filled-in form. */
  private void signIn(HttpExchange exchange, Map<String, String> form) throws IOException {
    Pending waiting = pending.get(form.getOrDefault("request", ""));
    if (waiting == null || waiting.expires().isBefore(clock.instant())) {
      page(exchange, 400, LoginPage.error("this login page has expired: start the login again"));
      return;
    }
    User user = users.get(form.getOrDefault("username", "").strip());
    if (user == null || !constantTimeEquals(user.password(), form.getOrDefault("password", ""))) {
      page(exchange, 200, LoginPage.form(form.get("request"), waiting.wantsSecondFactor(), "Invalid username or password."));
      return;
    }
    boolean usedSecondFactor = false;
    if (waiting.wantsSecondFactor() && user.oneTimeCode() != null) {
      if (!constantTimeEquals(user.oneTimeCode(), form.getOrDefault("otp", "").strip())) {
        page(exchange, 200, LoginPage.form(form.get("request"), true, "Invalid one-time code."));
        return;
      }
      usedSecondFactor = true;
    }
    pending.remove(form.get("request"));
    Map<String, String> request = waiting.request();
    Instant now = clock.instant();
    String code = token();
    codes.put(code, new Grant(user, request.get("redirect_uri"), request.get("code_challenge"), request.get("nonce"),
        request.getOrDefault("scope", "openid"), usedSecondFactor ? List.of("pwd", "otp") : List.of("pwd"),
        usedSecondFactor ? "mfa" : "pwd", now, now.plus(CODE_TTL)));
    StringBuilder location = new StringBuilder(request.get("redirect_uri"))
        .append(request.get("redirect_uri").contains("?") ? '&' : '?')
        .append("code=").append(encode(code));
    if (request.get("state") != null) {
      location.append("&state=").append(encode(request.get("state")));
    }
    location.append("&iss=").append(encode(issuer.toString())); // RFC 9207
    exchange.getResponseHeaders().set("Location", location.toString());
    send(exchange, 302, "text/plain", new byte[0]);
  }

  /** POST /token. */
  private void token(HttpExchange exchange, Map<String, String> form) throws IOException, JOSEException {
    if (!clientId.equals(form.get("client_id"))) {
      json(exchange, 401, error("invalid_client", "unknown client_id"));
      return;
    }
    String grantType = form.getOrDefault("grant_type", "");
    Grant grant;
    if (grantType.equals("authorization_code")) {
      grant = codes.remove(form.getOrDefault("code", "")); // single use, whatever happens next
      if (grant == null || grant.expires().isBefore(clock.instant())) {
        json(exchange, 400, error("invalid_grant", "unknown, used or expired code"));
        return;
      }
      if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
        json(exchange, 400, error("invalid_grant", "redirect_uri differs from the authorization request's"));
        return;
      }
      if (!grant.codeChallenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
        json(exchange, 400, error("invalid_grant", "the PKCE code_verifier does not match"));
        return;
      }
    } else if (grantType.equals("refresh_token")) {
      grant = refreshTokens.remove(form.getOrDefault("refresh_token", "")); // rotated on every use
      if (grant == null || grant.expires().isBefore(clock.instant())) {
        json(exchange, 400, error("invalid_grant", "unknown, used or expired refresh token"));
        return;
      }
    } else {
      json(exchange, 400, error("unsupported_grant_type", "only authorization_code and refresh_token"));
      return;
    }
    json(exchange, 200, tokens(grant));
  }

  private Map<String, Object> tokens(Grant grant) throws JOSEException {
    Instant now = clock.instant();
    User user = grant.user();
    JWTClaimsSet access = identity(grant, now)
        .audience(audience)
        .claim("azp", clientId)
        .claim("scope", grant.scope())
        .expirationTime(Date.from(now.plus(ACCESS_TOKEN_TTL)))
        .build();
    JWTClaimsSet.Builder id = identity(grant, now)
        .audience(clientId)
        .expirationTime(Date.from(now.plus(ACCESS_TOKEN_TTL)));
    if (grant.nonce() != null) {
      id.claim("nonce", grant.nonce());
    }
    String refresh = token();
    refreshTokens.put(refresh, new Grant(user, grant.redirectUri(), grant.codeChallenge(), null, grant.scope(),
        grant.amr(), grant.acr(), grant.authTime(), now.plus(REFRESH_TOKEN_TTL)));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("access_token", sign(access));
    answer.put("token_type", "Bearer");
    answer.put("expires_in", ACCESS_TOKEN_TTL.toSeconds());
    answer.put("id_token", sign(id.build()));
    answer.put("refresh_token", refresh);
    answer.put("scope", grant.scope());
    return answer;
  }

  private JWTClaimsSet.Builder identity(Grant grant, Instant now) {
    User user = grant.user();
    return new JWTClaimsSet.Builder()
        .issuer(issuer.toString())
        .subject(user.username())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .jwtID(UUID.randomUUID().toString())
        .claim("auth_time", grant.authTime().getEpochSecond())
        .claim("amr", grant.amr())
        .claim("acr", grant.acr())
        .claim("preferred_username", user.username())
        .claim("email", user.email())
        .claim("email_verified", true)
        .claim("groups", user.groups());
  }

  private String sign(JWTClaimsSet claims) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID())
        .type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(signingKey));
    return jwt.serialize();
  }

  private static Map<String, Object> error(String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return body;
  }

  private static boolean constantTimeEquals(String expected, String given) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
  }

  static Map<String, String> form(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      values.putIfAbsent(key, value);
    }
    return values;
  }

  private static void json(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void page(HttpExchange exchange, int status, String html) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    send(exchange, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
