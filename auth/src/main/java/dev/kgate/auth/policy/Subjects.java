package dev.kgate.auth.policy;

import java.util.List;

/**
 * Users and groups, as the identity mapping produces them (prefixes applied): who a role is for,
 * or who is blocked.
 *
 * @param users  user names, matched exactly
 * @param groups group names, matched exactly; {@code system:authenticated} means everyone
 */
public record Subjects(List<String> users, List<String> groups) {

  /** Nobody. */
  public static final Subjects NONE = new Subjects(List.of(), List.of());

  public Subjects {
    users = List.copyOf(users);
    groups = List.copyOf(groups);
  }

  public boolean isEmpty() {
    return users.isEmpty() && groups.isEmpty();
  }
}
