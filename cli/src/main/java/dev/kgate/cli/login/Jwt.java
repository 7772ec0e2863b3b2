package dev.kgate.cli.login;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Reads the claims of a JWT without verifying it. That is enough here: the CLI only reads tokens
 * it received itself from the IdP's token endpoint over TLS (OpenID Connect Core §3.1.3.7 allows
 * TLS server authentication in place of checking the ID token's signature), and uses the claims
 * for expiry, the nonce check and {@code kgate whoami}. The gateway verifies every token it gets.
 */
final class Jwt {

  private Jwt() {}

  /** The payload of a compact JWS as a JSON object, or an empty map when it is not one. */
  static Map<String, Object> claims(String token) {
    if (token == null) {
      return Map.of();
    }
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Map.of();
    }
    try {
      byte[] payload = Base64.getUrlDecoder().decode(parts[1]);
      return Json.parseObject(new String(payload, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }
}
