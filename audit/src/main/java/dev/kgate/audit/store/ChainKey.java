package dev.kgate.audit.store;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.UserInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which chain an event belongs to, and the directory name of that chain. A chain is named after
 * the authenticated username; requests without a valid token share a chain per source network
 * ({@code system:anonymous@10.1.2.0/24}, {@code /64} for IPv6), so a scanner cannot create a
 * directory per address. The directory name is a lowercase ASCII slug of the name, for humans,
 * plus a SHA-256 prefix of the exact name, for uniqueness: it can only contain {@code [a-z0-9-]},
 * so no crafted username ({@code ../../etc}, {@code a/b}, unicode look-alikes, a megabyte of
 * text) can leave {@code users/} or land in someone else's directory. The writer also records the
 * exact name in {@code user.json} and falls back to the full hash on the (80-bit) prefix clash.
 */
public final class ChainKey {

  private static final int SLUG_MAX = 40;
  private static final int SHORT_HASH_HEX = 20;
  private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9-]{0,120}");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private ChainKey() {}

  /** The chain an event is written to. */
  public static String chainOf(AuditEvent event) {
    return chainOf(event.user().username(), event.sourceIps());
  }

  /**
   * The chain for a username and the event's source addresses; for the anonymous user the last
   * address counts, because the gateway, like the API server, lists the peer address last after
   * any forwarded ones a client could forge.
   */
  public static String chainOf(String username, List<String> sourceIps) {
    if (username != null && !username.isEmpty() && !UserInfo.ANONYMOUS.equals(username)) {
      return username;
    }
    String peer = sourceIps == null || sourceIps.isEmpty() ? null : sourceIps.get(sourceIps.size() - 1);
    return UserInfo.ANONYMOUS + "@" + network(peer);
  }

  /** The short directory name: slug, dash, 20 hex digits of SHA-256(name). */
  public static String dirName(String chain) {
    return slug(chain) + "-" + sha256Hex(chain).substring(0, SHORT_HASH_HEX);
  }

  /** The directory name used when the short one is taken by another name: the full hash. */
  public static String longDirName(String chain) {
    return slug(chain) + "-" + sha256Hex(chain);
  }

  /** Whether a directory name is one this class could have produced. */
  public static boolean isSafeDirName(String name) {
    return SAFE.matcher(name).matches();
  }

  /** The network bucket of an address literal, or {@code unknown}; never resolves a host name. */
  static String network(String address) {
    if (address == null) {
      return "unknown";
    }
    String literal = address.startsWith("[") && address.endsWith("]")
        ? address.substring(1, address.length() - 1) : address;
    if (IPV4.matcher(literal).matches()) {
      String[] octets = literal.split("\\.");
      for (String octet : octets) {
        if (Integer.parseInt(octet) > 255) {
          return "unknown";
        }
      }
      return octets[0] + "." + octets[1] + "." + octets[2] + ".0/24";
    }
    // A string with a colon is parsed by InetAddress as an IPv6 literal and never looked up.
    if (!IPV6.matcher(literal).matches()) {
      return "unknown";
    }
    try {
      byte[] bytes = InetAddress.getByName(literal).getAddress();
      int prefix = bytes.length == 4 ? 24 : 64;
      for (int i = prefix / 8; i < bytes.length; i++) {
        bytes[i] = 0;
      }
      return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }

  private static String slug(String name) {
    StringBuilder slug = new StringBuilder(SLUG_MAX);
    boolean dash = false;
    for (int i = 0; i < name.length() && slug.length() < SLUG_MAX; i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        slug.append(c);
        dash = false;
      } else if (!dash && slug.length() > 0) {
        slug.append('-');
        dash = true;
      }
    }
    while (slug.length() > 0 && slug.charAt(slug.length() - 1) == '-') {
      slug.setLength(slug.length() - 1);
    }
    return slug.length() == 0 ? "user" : slug.toString();
  }

  private static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
