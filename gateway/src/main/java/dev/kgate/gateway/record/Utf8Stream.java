package dev.kgate.gateway.record;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one stream's bytes into text for asciicast, which holds strings: a character split across
 * two frames is joined (at most three bytes are carried over), and bytes that are not UTF-8 become
 * U+FFFD, as a terminal would show them.
 */
final class Utf8Stream {

  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer carry = ByteBuffer.allocate(8);

  String decode(byte[] data, int offset, int length) {
    ByteBuffer in;
    if (carry.position() > 0) {
      carry.flip();
      in = ByteBuffer.allocate(carry.remaining() + length).put(carry).put(data, offset, length).flip();
      carry.clear();
    } else {
      in = ByteBuffer.wrap(data, offset, length);
    }
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, out, false);
    carry.put(in); // an incomplete last character, at most three bytes
    return out.flip().toString();
  }
}
