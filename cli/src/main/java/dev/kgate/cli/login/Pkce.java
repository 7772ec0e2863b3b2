package dev.kgate.cli.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636) with S256, plus the random {@code state} and
 * {@code nonce} values: a code stolen on its way through the loopback redirect is useless
 * without the verifier, which never leaves this process until the token request.
 */
record Pkce(String verifier, String challenge) {

  private static final SecureRandom RANDOM = new SecureRandom();

  static Pkce create() {
    String verifier = random(32); // 43 characters, the RFC's minimum length
    return new Pkce(verifier, challengeOf(verifier));
  }

  static String challengeOf(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /** {@code bytes} random bytes, base64url without padding. */
  static String random(int bytes) {
    byte[] value = new byte[bytes];
    RANDOM.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }

  @Override
  public String toString() {
    return "Pkce[S256]";
  }
}
