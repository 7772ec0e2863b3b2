package dev.kgate.audit;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A Kubernetes {@code UserInfo}: who made a request ({@code user}) or who the gateway made it as
 * ({@code impersonatedUser}).
 *
 * @param username the name; {@value #ANONYMOUS} for a request without a valid token
 * @param uid      a stable id, or null
 * @param groups   the groups, possibly empty
 * @param extra    extra attributes (for example the issuer), possibly empty
 */
public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {

  /** The name Kubernetes gives a request that carries no valid credential. */
  public static final String ANONYMOUS = "system:anonymous";

  public UserInfo {
    Objects.requireNonNull(username, "username");
    groups = groups == null ? List.of() : List.copyOf(groups);
    TreeMap<String, List<String>> sorted = new TreeMap<>();
    if (extra != null) {
      extra.forEach((key, values) -> sorted.put(key, List.copyOf(values)));
    }
    extra = java.util.Collections.unmodifiableMap(sorted);
  }

  /** A user with a name and groups only. */
  public static UserInfo of(String username, List<String> groups) {
    return new UserInfo(username, null, groups, Map.of());
  }

  /** The unauthenticated user, as the API server names it. */
  public static UserInfo anonymous() {
    return new UserInfo(ANONYMOUS, null, List.of("system:unauthenticated"), Map.of());
  }

  /** Whether this is the unauthenticated user. */
  public boolean isAnonymous() {
    return ANONYMOUS.equals(username) || username.isEmpty();
  }
}
