package dev.kgate.gateway.upstream;

/** Checks on bearer tokens read from files and kubeconfigs. */
final class Tokens {

  private Tokens() {}

  /**
   * The token with surrounding whitespace (a trailing newline, typically) removed.
   *
   * @throws IllegalArgumentException when it is empty or holds characters a header value cannot
   *     carry; the message never contains the token
   */
  static String requireHeaderSafe(String raw) {
    String token = raw.strip();
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the token is empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      // Visible ASCII only: a CR or LF would let the token inject headers.
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "the token contains a character not allowed in an HTTP header (at position " + i + ")");
      }
    }
    return token;
  }
}
