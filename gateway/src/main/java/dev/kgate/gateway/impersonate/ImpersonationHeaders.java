package dev.kgate.gateway.impersonate;

import dev.kgate.auth.Identity;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the verified identity as Kubernetes impersonation headers. Every group and every extra
 * value goes on its own header line, never comma-joined: the API server reads each line as one
 * value, so folding would corrupt the identity (PROTOCOLS.md §1). Callers must have removed every
 * client-sent {@code Impersonate-*} header first (see {@link UntrustedHeaders}).
 */
public final class ImpersonationHeaders {

  public static final String USER = "Impersonate-User";
  public static final String UID = "Impersonate-Uid";
  public static final String GROUP = "Impersonate-Group";
  public static final String EXTRA_PREFIX = "Impersonate-Extra-";
  public static final String AUTHENTICATED_GROUP = "system:authenticated";

  private ImpersonationHeaders() {}

  /**
   * Sets the identity the API server will act as: the person's name, uid and extras, and the
   * groups the authorization stage chose (the policy role's groups, or the person's own groups when
   * no policy is configured), always with {@value #AUTHENTICATED_GROUP}.
   */
  public static void apply(Identity identity, List<String> groups, HttpHeaders headers) {
    headers.set(USER, identity.username());
    if (identity.uid() != null && !identity.uid().isEmpty()) {
      headers.set(UID, identity.uid());
    }
    Set<String> all = new LinkedHashSet<>(groups);
    all.add(AUTHENTICATED_GROUP);
    for (String group : all) {
      headers.add(GROUP, group);
    }
    for (Map.Entry<String, List<String>> extra : identity.extra().entrySet()) {
      String name = EXTRA_PREFIX + escapeExtraKey(extra.getKey());
      for (String value : extra.getValue()) {
        headers.add(name, value);
      }
    }
  }

  /**
   * Escapes an extra key the way client-go does: RFC 7230 token characters stay, every other byte
   * of the UTF-8 form (including '%') becomes %XX. The API server lowercases the key before
   * decoding, so keys are lowercased here to keep the gateway's view and the server's identical.
   */
  public static String escapeExtraKey(String key) {
    byte[] bytes = key.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (isTokenChar(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static boolean isTokenChar(int c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
