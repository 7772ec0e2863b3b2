package dev.kgate.sim.cluster;

import io.netty.buffer.ByteBuf;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The deterministic byte pattern {@code GET /sim/bytes?size=N} streams, so a test can check every
 * byte that came through a proxy without keeping a copy: byte {@code i} is {@code i mod 251}
 * (a prime, so the pattern does not line up with power-of-two buffer sizes).
 */
public final class SimBytes {

  private static final int PERIOD = 251;
  /** Whole periods of the pattern, copied into buffers in bulk (never modified). */
  private static final byte[] BLOCK = block(PERIOD * 128);

  private SimBytes() {}

  /** The byte at position {@code index} of the pattern. */
  public static byte byteAt(long index) {
    return (byte) (index % PERIOD);
  }

  /** Hex SHA-256 of the first {@code size} bytes of the pattern, as {@code /sim/sink} reports it. */
  public static String sha256(long size) {
    MessageDigest digest = newSha256();
    long left = size;
    while (left > 0) {
      int n = (int) Math.min(BLOCK.length, left);
      digest.update(BLOCK, 0, n);
      left -= n;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Appends {@code length} pattern bytes starting at pattern position {@code offset}, in bulk. */
  static void fill(ByteBuf buffer, long offset, int length) {
    long position = offset;
    int left = length;
    while (left > 0) {
      int start = (int) (position % PERIOD);
      int n = Math.min(left, BLOCK.length - start);
      buffer.writeBytes(BLOCK, start, n);
      position += n;
      left -= n;
    }
  }

  private static byte[] block(int length) {
    byte[] block = new byte[length];
    for (int i = 0; i < length; i++) {
      block[i] = byteAt(i);
    }
    return block;
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
