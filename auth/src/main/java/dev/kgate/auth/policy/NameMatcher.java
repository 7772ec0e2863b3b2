package dev.kgate.auth.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of names and globs compiled for lookup: literals in a hash set, {@code *} as a flag, the
 * remaining globs tried in order. Most policies name clusters and namespaces literally, so most
 * lookups are one hash probe.
 */
final class NameMatcher {

  private final boolean everything;
  private final Set<String> literals;
  private final List<NameGlob> globs;

  NameMatcher(List<String> patterns) {
    boolean all = false;
    Set<String> exact = new HashSet<>();
    List<NameGlob> wild = new ArrayList<>();
    for (String pattern : patterns) {
      NameGlob glob = NameGlob.of(pattern);
      if (glob.matchesEverything()) {
        all = true;
      } else if (glob.isLiteral()) {
        exact.add(pattern);
      } else {
        wild.add(glob);
      }
    }
    this.everything = all;
    this.literals = Set.copyOf(exact);
    this.globs = List.copyOf(wild);
  }

  boolean matchesEverything() {
    return everything;
  }

  boolean matches(String name) {
    if (everything || literals.contains(name)) {
      return true;
    }
    for (NameGlob glob : globs) {
      if (glob.matches(name)) {
        return true;
      }
    }
    return false;
  }
}
