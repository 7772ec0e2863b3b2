package dev.kgate.auth.policy;

import java.util.List;

/**
 * Whether one rule matches every request another matches, judged on the rules' text alone (so it
 * may miss coverage that depends on which names exist, never report coverage that is not there).
 * {@link PolicyLint} uses it to find allow rules their own role's deny rules cancel.
 */
final class RuleCoverage {

  private static final String ALL = "*";

  private RuleCoverage() {}

  /** Whether every request {@code inner} matches is also matched by {@code outer}. */
  static boolean covers(Rule outer, Rule inner) {
    if (outer.isNonResource() != inner.isNonResource() || !coversAll(outer.verbs(), inner.verbs())) {
      return false;
    }
    if (inner.isNonResource()) {
      return inner.nonResourceURLs().stream().allMatch(url -> coversUrl(outer.nonResourceURLs(), url));
    }
    return coversAll(outer.apiGroups(), inner.apiGroups())
        && inner.resources().stream().allMatch(resource -> coversResource(outer.resources(), resource))
        && (outer.resourceNames().isEmpty()
            || (!inner.resourceNames().isEmpty() && outer.resourceNames().containsAll(inner.resourceNames())))
        && coversNamespaces(outer, inner);
  }

  private static boolean coversAll(List<String> outer, List<String> inner) {
    return outer.contains(ALL) || (!inner.contains(ALL) && outer.containsAll(inner));
  }

  private static boolean coversResource(List<String> outer, String resource) {
    if (outer.contains(ALL) || outer.contains(resource)) {
      return true;
    }
    int slash = resource.indexOf('/');
    return slash > 0 && !resource.startsWith(ALL) && outer.contains("*/" + resource.substring(slash + 1));
  }

  private static boolean coversNamespaces(Rule outer, Rule inner) {
    boolean outerClusterWide = outer.clusterScoped() || outer.namespaces().contains(ALL);
    boolean innerClusterWide = inner.clusterScoped() || inner.namespaces().contains(ALL);
    if (innerClusterWide && !outerClusterWide) {
      return false;
    }
    if (outer.namespaces().contains(ALL)) {
      return true;
    }
    NameMatcher outerNamespaces = new NameMatcher(outer.namespaces());
    for (String namespace : inner.namespaces()) {
      boolean literal = NameGlob.of(namespace).isLiteral();
      if (!(outer.namespaces().contains(namespace) || (literal && outerNamespaces.matches(namespace)))) {
        return false;
      }
    }
    return true;
  }

  private static boolean coversUrl(List<String> outer, String url) {
    for (String pattern : outer) {
      if (pattern.equals(ALL) || pattern.equals(url)) {
        return true;
      }
      if (pattern.endsWith(ALL)) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        if (url.startsWith(prefix)) {
          return true; // a url "/logs/*" under prefix "/lo" is covered too: its prefix is longer
        }
      }
    }
    return false;
  }
}
