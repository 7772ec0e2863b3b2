package dev.kgate.cli.login;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One public OAuth client ({@code --client-id}) at one discovered issuer: the token endpoint's
 * grants (code exchange, refresh, device polling) and revocation. Public client: no secret, so
 * PKCE is what binds a code to this process.
 */
final class OidcClient {

  private final IdpHttp http;
  private final OidcProvider provider;
  private final String issuer;
  private final String clientId;
  private final Clock clock;

  OidcClient(IdpHttp http, OidcProvider provider, String issuer, String clientId, Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.clientId = Objects.requireNonNull(clientId, "clientId");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Discovers {@code issuer} and returns a client for it. */
  static OidcClient discover(IdpHttp http, String issuer, String clientId, Clock clock) {
    return new OidcClient(http, OidcProvider.discover(http, issuer), issuer, clientId, clock);
  }

  OidcProvider provider() {
    return provider;
  }

  String clientId() {
    return clientId;
  }

  Clock clock() {
    return clock;
  }

  IdpHttp http() {
    return http;
  }

  /** RFC 6749 §4.1.3 with the PKCE verifier (RFC 7636 §4.5). */
  TokenSet exchangeCode(String code, URI redirectUri, String verifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri.toString());
    form.put("client_id", clientId);
    form.put("code_verifier", verifier);
    return tokens(http.postForm(provider.tokenEndpoint(), form).successOrThrow("the code exchange"), null);
  }

  /** RFC 6749 §6; an {@code invalid_grant} answer means the refresh token is dead (expired, revoked, logged out). */
  TokenSet refresh(TokenSet current) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", current.refreshToken());
    form.put("client_id", clientId);
    return tokens(http.postForm(provider.tokenEndpoint(), form).successOrThrow("the token refresh"), current);
  }

  /** A raw token request, for the device flow's polling whose errors are part of the protocol. */
  IdpHttp.Answer tokenRequest(Map<String, String> form) {
    return http.postForm(provider.tokenEndpoint(), form);
  }

  TokenSet tokens(Map<String, Object> response, TokenSet previous) {
    return TokenSet.fromTokenResponse(issuer, clientId, response, previous, clock.instant());
  }

  /**
   * RFC 7009. Returns false when the IdP advertises no revocation endpoint. The IdP answers 200
   * for unknown tokens too, so only a failure status is an error.
   */
  boolean revoke(String token, String hint) {
    if (provider.revocationEndpoint() == null) {
      return false;
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("token", token);
    form.put("token_type_hint", hint);
    form.put("client_id", clientId);
    http.postForm(provider.revocationEndpoint(), form).successOrThrow("revocation");
    return true;
  }
}
