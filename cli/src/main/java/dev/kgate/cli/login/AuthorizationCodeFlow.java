package dev.kgate.cli.login;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Authorization Code with PKCE (S256), {@code state} and {@code nonce}, redirected to a loopback
 * listener (RFC 8252). The browser is opened when there is one, and the URL printed otherwise.
 * State stops a forged callback (login CSRF), PKCE a stolen code, the nonce a replayed ID token.
 */
final class AuthorizationCodeFlow {

  private final OidcClient client;
  private final BrowserOpener browser;
  private final PrintWriter prompts;
  private final Duration timeout;

  AuthorizationCodeFlow(OidcClient client, BrowserOpener browser, PrintWriter prompts, Duration timeout) {
    this.client = Objects.requireNonNull(client, "client");
    this.browser = Objects.requireNonNull(browser, "browser");
    this.prompts = Objects.requireNonNull(prompts, "prompts");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  TokenSet login(AuthParameters parameters) {
    Pkce pkce = Pkce.create();
    String state = Pkce.random(16);
    String nonce = Pkce.random(16);
    try (LoopbackReceiver receiver = LoopbackReceiver.start(state)) {
      URI authorization = authorizationUri(parameters, receiver.redirectUri(), pkce, state, nonce);
      if (browser.open(authorization)) {
        prompts.println("Opened the browser to log in. If it did not open, visit:");
      } else {
        prompts.println("To log in, open this URL in a browser on this machine:");
      }
      prompts.println("  " + authorization);
      prompts.flush();
      Map<String, String> callback = receiver.await(timeout);
      if (callback.containsKey("error")) {
        String description = callback.get("error_description");
        throw new IdpException(callback.get("error"), "the IdP refused the login: " + callback.get("error")
            + (description != null ? " (" + description + ")" : ""));
      }
      String code = callback.get("code");
      if (code == null || code.isEmpty()) {
        throw new IdpException("callback", "the login callback carries no code");
      }
      TokenSet tokens = client.exchangeCode(code, receiver.redirectUri(), pkce.verifier());
      checkNonce(tokens, nonce);
      return tokens;
    }
  }

  URI authorizationUri(AuthParameters parameters, URI redirectUri, Pkce pkce, String state, String nonce) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("response_type", "code");
    query.put("client_id", client.clientId());
    query.put("redirect_uri", redirectUri.toString());
    query.putAll(parameters.requestParameters());
    query.put("state", state);
    query.put("nonce", nonce);
    query.put("code_challenge", pkce.challenge());
    query.put("code_challenge_method", "S256");
    StringJoiner joined = new StringJoiner("&");
    query.forEach((k, v) -> joined.add(IdpHttp.encode(k) + "=" + IdpHttp.encode(v)));
    String endpoint = client.provider().authorizationEndpoint().toString();
    return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + joined);
  }

  /** OpenID Connect Core §3.1.3.7 step 11: an ID token must carry the nonce this login sent. */
  static void checkNonce(TokenSet tokens, String nonce) {
    if (tokens.idToken() == null) {
      return;
    }
    Object received = Jwt.claims(tokens.idToken()).get("nonce");
    if (!nonce.equals(received)) {
      throw new IdpException("nonce", "the ID token's nonce does not match this login; refusing it");
    }
  }
}
