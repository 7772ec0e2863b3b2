package dev.kgate.auth.attributes;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict percent-decoding to UTF-8. Go's decoder rejects a malformed escape ({@code %zz},
 * {@code %4}) too, but {@code URL.Query()} then silently drops the whole parameter, so a
 * differential hides there: this decoder refuses instead, and refuses bytes that are not UTF-8.
 */
final class PercentDecoding {

  private PercentDecoding() {}

  /**
   * Decodes {@code raw}; {@code plusIsSpace} for query components (form encoding), never for path
   * segments, where {@code +} is a literal plus.
   */
  static String decode(String raw, boolean plusIsSpace, String where) {
    if (raw.indexOf('%') < 0) {
      return plusIsSpace ? raw.replace('+', ' ') : raw;
    }
    byte[] bytes = new byte[raw.length()];
    int length = 0;
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '+' && plusIsSpace) {
        bytes[length++] = ' ';
      } else if (c != '%') {
        bytes[length++] = (byte) c; // callers have refused anything outside printable ASCII
      } else {
        int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new Refusal(where + " has an invalid percent-encoding");
        }
        bytes[length++] = (byte) (high << 4 | low);
        i += 2;
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new Refusal(where + " is not valid UTF-8");
    }
  }
}
