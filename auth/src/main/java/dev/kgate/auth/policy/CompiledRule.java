package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.attributes.Verbs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A {@link Rule} turned into hash sets and bit masks at load, so matching one request costs a few
 * probes. The semantics are RBAC's ({@code rbac/v1} helpers {@code VerbMatches},
 * {@code APIGroupMatches}, {@code ResourceMatches}, {@code ResourceNameMatches},
 * {@code NonResourceURLMatches}), plus kgate's namespace globs and cluster-wide rule: a request
 * without a namespace matches only a rule whose namespaces include {@code *} or that says
 * {@code clusterScoped: true}.
 */
final class CompiledRule {

  static final String WILDCARD = "*";

  private final Rule rule;
  private final int index;
  private final boolean nonResource;
  private final boolean anyVerb;
  private final int verbMask;
  private final boolean anyGroup;
  private final Set<String> groups;
  private final boolean anyResource;
  private final Set<String> combinedResources;
  private final Set<String> anyResourceSubresources;
  private final Set<String> names;
  private final NameMatcher namespaces;
  private final boolean clusterWide;
  private final boolean anyUrl;
  private final Set<String> urls;
  private final List<String> urlPrefixes;

  CompiledRule(Rule rule, int index) {
    this.rule = Objects.requireNonNull(rule, "rule");
    this.index = index;
    this.nonResource = rule.isNonResource();
    List<String> known = nonResource ? Verbs.NON_RESOURCE_VERBS : Verbs.RESOURCE_VERBS;
    int mask = 0;
    for (String verb : rule.verbs()) {
      int bit = known.indexOf(verb);
      if (bit >= 0) {
        mask |= 1 << bit;
      }
    }
    this.anyVerb = rule.verbs().contains(WILDCARD);
    this.verbMask = mask;
    this.anyGroup = rule.apiGroups().contains(WILDCARD);
    this.groups = Set.copyOf(rule.apiGroups());
    this.anyResource = rule.resources().contains(WILDCARD);
    Set<String> combined = new HashSet<>();
    Set<String> subresources = new HashSet<>();
    for (String resource : rule.resources()) {
      if (resource.startsWith("*/")) {
        subresources.add(resource.substring(2));
      } else {
        combined.add(resource);
      }
    }
    this.combinedResources = Set.copyOf(combined);
    this.anyResourceSubresources = Set.copyOf(subresources);
    this.names = Set.copyOf(rule.resourceNames());
    this.namespaces = new NameMatcher(rule.namespaces());
    this.clusterWide = rule.clusterScoped() || namespaces.matchesEverything();
    this.anyUrl = rule.nonResourceURLs().contains(WILDCARD);
    Set<String> exactUrls = new HashSet<>();
    List<String> prefixes = new ArrayList<>();
    for (String url : rule.nonResourceURLs()) {
      if (url.endsWith(WILDCARD)) {
        prefixes.add(url.substring(0, url.length() - 1));
      } else {
        exactUrls.add(url);
      }
    }
    this.urls = Set.copyOf(exactUrls);
    this.urlPrefixes = List.copyOf(prefixes);
  }

  Rule rule() {
    return rule;
  }

  /** The rule's position in its role's {@code rules} or {@code deny} list. */
  int index() {
    return index;
  }

  boolean matches(RequestAttributes attributes) {
    if (attributes instanceof RequestAttributes.Resource) {
      return matchesResource((RequestAttributes.Resource) attributes);
    }
    return matchesNonResource((RequestAttributes.NonResource) attributes);
  }

  private boolean matchesResource(RequestAttributes.Resource request) {
    return !nonResource
        && verbMatches(request.verb(), Verbs.RESOURCE_VERBS)
        && (anyGroup || groups.contains(request.apiGroup()))
        && resourceMatches(request)
        && (names.isEmpty() || (!request.name().isEmpty() && names.contains(request.name())))
        && (request.namespace().isEmpty() ? clusterWide : namespaces.matches(request.namespace()));
  }

  private boolean resourceMatches(RequestAttributes.Resource request) {
    if (anyResource) {
      return true;
    }
    if (request.subresource().isEmpty()) {
      return combinedResources.contains(request.resource());
    }
    return combinedResources.contains(request.resource() + "/" + request.subresource())
        || anyResourceSubresources.contains(request.subresource());
  }

  private boolean matchesNonResource(RequestAttributes.NonResource request) {
    if (!nonResource || !verbMatches(request.verb(), Verbs.NON_RESOURCE_VERBS)) {
      return false;
    }
    if (anyUrl || urls.contains(request.path())) {
      return true;
    }
    for (String prefix : urlPrefixes) {
      if (request.path().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private boolean verbMatches(String verb, List<String> known) {
    if (anyVerb) {
      return true;
    }
    int bit = known.indexOf(verb);
    return bit >= 0 && (verbMask & (1 << bit)) != 0;
  }
}
