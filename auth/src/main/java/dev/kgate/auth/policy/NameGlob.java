package dev.kgate.auth.policy;

import java.util.Objects;

/**
 * A name pattern where {@code *} matches any run of characters (including none) and everything
 * else is literal: {@code prod-*}, {@code *-staging}, {@code team-*-dev}, {@code *}. Cluster and
 * namespace names are DNS labels, so no other metacharacter is needed, and none is offered: a
 * pattern language richer than its users expect is a place for unintended matches. Public because
 * the gateway's {@code audit.levels} rules name clusters, namespaces, users and groups the same way.
 */
public final class NameGlob {

  private final String pattern;
  private final String[] pieces;

  private NameGlob(String pattern) {
    this.pattern = pattern;
    this.pieces = pattern.split("\\*", -1);
  }

  public static NameGlob of(String pattern) {
    return new NameGlob(Objects.requireNonNull(pattern, "pattern"));
  }

  public String pattern() {
    return pattern;
  }

  public boolean isLiteral() {
    return pieces.length == 1;
  }

  /** {@code *} alone. */
  public boolean matchesEverything() {
    return pattern.equals("*");
  }

  public boolean matches(String name) {
    if (pieces.length == 1) {
      return pattern.equals(name);
    }
    String first = pieces[0];
    String last = pieces[pieces.length - 1];
    if (name.length() < first.length() + last.length()
        || !name.startsWith(first)
        || !name.endsWith(last)) {
      return false;
    }
    int at = first.length();
    int end = name.length() - last.length();
    for (int i = 1; i < pieces.length - 1; i++) {
      if (pieces[i].isEmpty()) {
        continue;
      }
      int found = name.indexOf(pieces[i], at);
      if (found < 0 || found + pieces[i].length() > end) {
        return false;
      }
      at = found + pieces[i].length();
    }
    return true;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
