package dev.kgate.cli.login;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one login leaves behind for one issuer and client: the access token handed to kubectl, the
 * ID token (read by {@code kgate whoami}), the refresh token (used before any prompt) and when the
 * access token expires. It is also the cache file's content.
 *
 * @param expiresAt when the access token stops being valid
 * @param idToken may be null
 * @param refreshToken may be null
 */
record TokenSet(String issuer, String clientId, String accessToken, String idToken, String refreshToken,
    Instant expiresAt) {

  TokenSet {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(accessToken, "accessToken");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * Reads a token endpoint response. The expiry is {@code expires_in} when given, else the access
   * token's {@code exp}, else one minute (so a token of unknown life is soon refreshed). Tokens a
   * refresh response leaves out (RFC 6749 §6 allows it) are kept from {@code previous}.
   */
  static TokenSet fromTokenResponse(String issuer, String clientId, Map<String, Object> response,
      TokenSet previous, Instant now) {
    String accessToken = Json.string(response, "access_token");
    if (accessToken == null || accessToken.isEmpty()) {
      throw new IdpException("token_response", "the token response has no access_token");
    }
    Long expiresIn = Json.number(response, "expires_in");
    Instant expiresAt;
    if (expiresIn != null) {
      expiresAt = now.plusSeconds(expiresIn);
    } else {
      Long exp = Json.number(Jwt.claims(accessToken), "exp");
      expiresAt = exp != null ? Instant.ofEpochSecond(exp) : now.plusSeconds(60);
    }
    String idToken = Json.string(response, "id_token");
    String refreshToken = Json.string(response, "refresh_token");
    if (previous != null) {
      idToken = idToken != null ? idToken : previous.idToken();
      refreshToken = refreshToken != null ? refreshToken : previous.refreshToken();
    }
    // The cache keeps whole seconds; keep them here too so a set equals itself read back.
    return new TokenSet(issuer, clientId, accessToken, idToken, refreshToken, expiresAt.truncatedTo(ChronoUnit.SECONDS));
  }

  /** True when the access token is still valid {@code margin} seconds after {@code now}. */
  boolean freshAt(Instant now, long marginSeconds) {
    return expiresAt.isAfter(now.plusSeconds(marginSeconds));
  }

  TokenSet withoutRefreshToken() {
    return new TokenSet(issuer, clientId, accessToken, idToken, null, expiresAt);
  }

  String toJson() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("issuer", issuer);
    map.put("client_id", clientId);
    map.put("access_token", accessToken);
    map.put("id_token", idToken);
    map.put("refresh_token", refreshToken);
    map.put("expires_at", expiresAt.getEpochSecond());
    return Json.write(map);
  }

  static TokenSet fromJson(String json) {
    Map<String, Object> map = Json.parseObject(json);
    Long expiresAt = Json.number(map, "expires_at");
    if (expiresAt == null) {
      throw new IllegalArgumentException("no expires_at");
    }
    return new TokenSet(Json.string(map, "issuer"), Json.string(map, "client_id"),
        Json.string(map, "access_token"), Json.string(map, "id_token"), Json.string(map, "refresh_token"),
        Instant.ofEpochSecond(expiresAt));
  }

  @Override
  public String toString() {
    // Never the tokens: this may end up in a log line or an assertion message.
    return "TokenSet[issuer=" + issuer + ", clientId=" + clientId + ", expiresAt=" + expiresAt
        + ", refreshToken=" + (refreshToken != null) + "]";
  }
}
