package dev.kgate.audit.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that links a chain: SHA-256, in lowercase hex, of a line's exact bytes without its
 * newline. The first line of every chain points to {@link #GENESIS}.
 */
public final class LineHash {

  /** What the first line of a chain carries as {@code prevHash}. */
  public static final String GENESIS = "0".repeat(64);

  private LineHash() {}

  /** The hash of {@code length} bytes of {@code line} from {@code offset}. */
  public static String of(byte[] line, int offset, int length) {
    MessageDigest digest = sha256();
    digest.update(line, offset, length);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The hash of a whole array. */
  public static String of(byte[] line) {
    return of(line, 0, line.length);
  }

  /** A fresh SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
