package dev.kgate.sim.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the protobuf wire format over a slice of a byte array: varints, length-delimited fields
 * (strings, bytes, nested messages) and skipping of fields nobody asked for. Malformed input
 * throws {@link IllegalArgumentException}.
 */
final class ProtobufReader {
  private final byte[] data;
  private int position;
  private final int end;

  ProtobufReader(byte[] data, int start, int end) {
    this.data = data;
    this.position = start;
    this.end = end;
  }

  boolean more() {
    return position < end;
  }

  long varint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw new IllegalArgumentException("truncated varint");
      }
      byte b = data[position++];
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  private int length() {
    long length = varint();
    if (length < 0 || length > end - position) {
      throw new IllegalArgumentException("bad length " + length);
    }
    return (int) length;
  }

  ProtobufReader nested() {
    int length = length();
    ProtobufReader nested = new ProtobufReader(data, position, position + length);
    position += length;
    return nested;
  }

  byte[] bytes() {
    int length = length();
    byte[] bytes = Arrays.copyOfRange(data, position, position + length);
    position += length;
    return bytes;
  }

  String string() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  void skip(int wireType) {
    switch (wireType) {
      case 0:
        varint();
        break;
      case 1:
        position += 8;
        break;
      case 2:
        int length = length();
        position += length;
        break;
      case 5:
        position += 4;
        break;
      default:
        throw new IllegalArgumentException("unsupported wire type " + wireType);
    }
    if (position > end) {
      throw new IllegalArgumentException("truncated field");
    }
  }
}
