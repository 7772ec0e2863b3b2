package dev.kgate.sim.keycloak;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Logs a user in to Keycloak through the browser flow without a browser: Authorization Code with
 * PKCE (S256), posting the login form and, when Keycloak asks, the OTP form, then exchanging the
 * code at the token endpoint, exactly as a browser and {@code kgate login} would. The redirect
 * target ({@code http://127.0.0.1:<port>/callback}) is never contacted; the code is read from the
 * redirect itself.
 */
public final class KeycloakLogin {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*\\saction=\"([^\"]+)\"", Pattern.CASE_INSENSITIVE);
  private static final Pattern ERROR_TEXT = Pattern.compile(
      "<(?:span|div)[^>]*(?:input-error|alert-error|kc-feedback-text)[^>]*>\\s*([^<]+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern OTP_FIELD = Pattern.compile("name=\"otp\"");
  private static final Pattern CONSENT = Pattern.compile("name=\"accept\"");
  private static final Pattern HIDDEN_INPUT = Pattern.compile(
      "<input[^>]*type=\"hidden\"[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
  private static final URI REDIRECT = URI.create("http://127.0.0.1:47999/callback");
  private static final int MAX_STEPS = 8;

  private final URI issuer;
  private final String clientId;
  private final SecureRandom random = new SecureRandom();

  public KeycloakLogin(URI issuer, String clientId) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
  }

  /** Tokens from the token endpoint. */
  public record Tokens(String accessToken, String idToken, String refreshToken) {}

  /**
   * @param otp       the one-time code source for users with a second factor, or null for none
   * @param acrValues requested {@code acr_values} (e.g. {@code mfa}), or empty
   * @throws IllegalStateException when Keycloak refuses the login, with its message
   */
  public Tokens login(String username, String password, Totp otp, List<String> acrValues) {
    // One cookie jar per login, like a fresh browser: no SSO session carries over between users.
    HttpClient http = browser();
    String verifier = randomToken(32);
    String state = randomToken(16);
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", clientId);
    query.put("response_type", "code");
    query.put("scope", "openid");
    query.put("redirect_uri", REDIRECT.toString());
    query.put("state", state);
    query.put("nonce", randomToken(16));
    query.put("code_challenge", challenge(verifier));
    query.put("code_challenge_method", "S256");
    if (!acrValues.isEmpty()) {
      query.put("acr_values", String.join(" ", acrValues));
    }
    URI authorization = URI.create(issuer + "/protocol/openid-connect/auth?" + form(query));
    HttpResponse<String> callback = play(http, authorization, username, password, otp, true);
    Optional<String> code = codeFrom(callback, state);
    if (code.isEmpty()) {
      throw new IllegalStateException("login of " + username + " ended away from the callback: " + callback.uri());
    }
    return exchange(http, code.get(), verifier);
  }

  /**
   * Acts as the person's browser for a login someone else started (the CLI's authorization URL):
   * posts the login and OTP forms, then follows Keycloak's redirect to the CLI's loopback listener,
   * which is how the code reaches it.
   *
   * @return the status the loopback listener answered with
   */
  public int completeInBrowser(URI authorizationUrl, String username, String password, Totp otp) {
    HttpClient http = browser();
    HttpResponse<String> redirect = play(http, authorizationUrl, username, password, otp, true);
    return send(http, HttpRequest.newBuilder(redirect.uri().resolve(location(redirect))).GET()).statusCode();
  }

  /**
   * Approves a device login (RFC 8628) at {@code verificationUriComplete} as the person would on
   * their phone: the login and OTP forms, then Keycloak's confirmation page.
   *
   * @return the text of the last page Keycloak showed
   */
  public String approveDevice(URI verificationUriComplete, String username, String password, Totp otp) {
    return play(browser(), verificationUriComplete, username, password, otp, false).body();
  }

  private static HttpClient browser() {
    return HttpClient.newBuilder()
        .cookieHandler(new BrowserCookies())
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /**
   * Walks Keycloak's pages from {@code start}: follows its redirects, posts the login form, then
   * the OTP form when asked. Ends at the redirect that leaves Keycloak (when {@code toCallback}),
   * or at the first page after the forms that asks for nothing more (the device flow's).
   */
  private HttpResponse<String> play(HttpClient http, URI start, String username, String password, Totp otp,
      boolean toCallback) {
    HttpResponse<String> page = send(http, HttpRequest.newBuilder(start).GET());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("username", username);
    fields.put("password", password);
    fields.put("credentialId", "");
    boolean submitted = false;
    for (int step = 0; step < MAX_STEPS; step++) {
      if (page.statusCode() == 302 || page.statusCode() == 303) {
        URI target = page.uri().resolve(location(page));
        if (toCallback && !sameOrigin(target, issuer)) {
          return page;
        }
        page = send(http, HttpRequest.newBuilder(target).GET());
        continue;
      }
      if (page.statusCode() != 200) {
        throw new IllegalStateException("login of " + username + ": Keycloak answered " + page.statusCode()
            + " to " + page.uri().getPath() + ": " + feedback(page.body()));
      }
      boolean asksOtp = OTP_FIELD.matcher(page.body()).find();
      if (submitted && CONSENT.matcher(page.body()).find()) {
        // The device grant asks the person to grant the client access: say yes, as they would.
        Map<String, String> consent = hiddenFields(page.body());
        consent.put("accept", "Yes");
        page = send(http, HttpRequest.newBuilder(page.uri().resolve(formAction(page.body())))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(consent))));
        continue;
      }
      if (submitted && !asksOtp) {
        if (!toCallback && !page.body().contains("name=\"password\"")) {
          return page; // the device flow's "you may close this window"
        }
        throw new IllegalStateException("login of " + username + " failed: " + feedback(page.body()));
      }
      if (submitted) {
        if (otp == null) {
          throw new IllegalStateException("Keycloak asks " + username + " for a one-time code, and none was given");
        }
        fields.put("otp", otp.now());
      }
      page = send(http, HttpRequest.newBuilder(page.uri().resolve(formAction(page.body())))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
      fields.clear();
      submitted = true;
    }
    throw new IllegalStateException("login of " + username + " did not finish in " + MAX_STEPS + " steps");
  }

  private static Map<String, String> hiddenFields(String html) {
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher matcher = HIDDEN_INPUT.matcher(html);
    while (matcher.find()) {
      fields.put(matcher.group(1), matcher.group(2));
    }
    return fields;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  private Tokens exchange(HttpClient http, String code, String verifier) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "authorization_code");
    fields.put("code", code);
    fields.put("redirect_uri", REDIRECT.toString());
    fields.put("client_id", clientId);
    fields.put("code_verifier", verifier);
    HttpResponse<String> answer = send(http, HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    JsonNode body = JSON.readTree(answer.body());
    if (answer.statusCode() != 200 || !body.path("access_token").isString()) {
      throw new IllegalStateException("code exchange failed: " + answer.statusCode() + " "
          + body.path("error") + " " + body.path("error_description"));
    }
    return new Tokens(body.path("access_token").stringValue(), body.path("id_token").asString(""),
        body.path("refresh_token").asString(""));
  }

  /** The code, when this response is the redirect back to our callback. */
  private static Optional<String> codeFrom(HttpResponse<String> page, String state) {
    if (page.statusCode() / 100 != 3) {
      return Optional.empty();
    }
    URI target = page.uri().resolve(location(page));
    if (!target.getPath().equals(REDIRECT.getPath()) || target.getPort() != REDIRECT.getPort()) {
      return Optional.empty();
    }
    Map<String, String> parameters = parameters(target.getRawQuery());
    if (parameters.containsKey("error")) {
      throw new IllegalStateException("Keycloak redirected with error " + parameters.get("error") + ": "
          + parameters.getOrDefault("error_description", ""));
    }
    if (!state.equals(parameters.get("state"))) {
      throw new IllegalStateException("the redirect carries another state than the one sent");
    }
    return Optional.ofNullable(parameters.get("code"));
  }

  private static String location(HttpResponse<String> page) {
    return page.headers().firstValue("Location")
        .orElseThrow(() -> new IllegalStateException("redirect without Location from " + page.uri()));
  }

  private static String formAction(String html) {
    Matcher matcher = FORM_ACTION.matcher(html);
    if (!matcher.find()) {
      throw new IllegalStateException("no form on the Keycloak page: " + feedback(html));
    }
    return matcher.group(1).replace("&amp;", "&").replace("&#61;", "=").replace("&#x3d;", "=");
  }

  private static String feedback(String html) {
    Matcher matcher = ERROR_TEXT.matcher(html);
    return matcher.find() ? matcher.group(1).strip() : "(no message on the page)";
  }

  private static Map<String, String> parameters(String rawQuery) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null) {
      return out;
    }
    for (String pair : rawQuery.split("&")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        out.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot reach Keycloak: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while logging in", e);
    }
  }

  private static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private String randomToken(int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }
}
