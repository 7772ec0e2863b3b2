package dev.kgate.auth.oidc;

import dev.kgate.auth.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers tokens whose signature and claims were verified, so the many requests one
 * {@code kubectl} command makes with the same token cost one signature check.
 *
 * <p>Keys are SHA-256 digests: a heap dump or a debugger shows no usable token. The cache is
 * bounded (least recently used goes first) and an entry is only as good as its token's times,
 * which the caller re-checks on every hit.
 */
final class VerifiedTokenCache {

  /** What a verified token proved, and the times that bound how long it proves it. */
  record Entry(Identity identity, TokenTimes times, Duration clockSkew) {
    Entry {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(times, "times");
      Objects.requireNonNull(clockSkew, "clockSkew");
    }
  }

  private final int maxEntries;
  private final Map<String, Entry> entries;

  VerifiedTokenCache(int maxEntries) {
    if (maxEntries < 0) {
      throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The digest that stands for a token in this cache. */
  static String keyOf(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      byte[] digest = sha256.digest(token.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  synchronized Optional<Entry> get(String key) {
    return Optional.ofNullable(entries.get(key));
  }

  synchronized void put(String key, Entry entry) {
    if (maxEntries == 0) {
      return;
    }
    entries.put(key, entry);
    if (entries.size() > maxEntries) {
      var eldest = entries.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }

  synchronized void remove(String key) {
    entries.remove(key);
  }

  synchronized int size() {
    return entries.size();
  }
}
