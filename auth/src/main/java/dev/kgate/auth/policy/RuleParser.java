package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.Verbs;
import dev.kgate.auth.stepup.LoginStrength;
import dev.kgate.auth.text.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and checks the allow and deny rules of a role for {@link PolicyLoader}. A rule is about
 * resources or about URLs, never both; forms RBAC cannot express ({@code pods/*}, a {@code *} in
 * {@code resourceNames}) are refused, because the same rules are written into the clusters' RBAC
 * and must mean the same thing there.
 */
final class RuleParser {

  private static final List<String> RULE_KEYS =
      List.of(
          "verbs", "apiGroups", "resources", "resourceNames", "namespaces", "clusterScoped",
          "nonResourceURLs", "mfa");
  private static final List<String> RESOURCE_ONLY_KEYS =
      List.of("apiGroups", "resources", "resourceNames", "namespaces", "clusterScoped");
  private static final List<String> MFA_KEYS = List.of("required", "maxAge", "acr");
  private static final String WILDCARD = "*";
  private static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
  private static final Duration MAX_MAX_AGE = Duration.ofDays(30);
  /** Cluster and namespace names are DNS labels; {@code *} is the only wildcard. */
  private static final Pattern LABEL_GLOB = Pattern.compile("[a-z0-9*-]{1,63}");
  private static final Pattern API_GROUP = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
  private static final Pattern RESOURCE = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");

  private RuleParser() {}

  static List<Rule> rules(PolicyNode node, boolean allow) {
    List<Rule> rules = new ArrayList<>();
    for (PolicyNode element : node.list()) {
      Rule rule = rule(element, allow);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private static Rule rule(PolicyNode node, boolean allow) {
    if (!node.mapping(RULE_KEYS, true)) {
      return null;
    }
    PolicyNode mfaNode = node.get("mfa");
    LoginStrength login = LoginStrength.NONE;
    if (!allow && !mfaNode.isAbsent()) {
      mfaNode.error("a deny rule applies whatever the login; mfa belongs in allow rules");
    } else if (allow) {
      login = loginStrength(mfaNode);
    }
    PolicyNode urlsNode = node.get("nonResourceURLs");
    PolicyNode resourcesNode = node.get("resources");
    boolean aboutUrls = !urlsNode.isAbsent();
    if (aboutUrls && !resourcesNode.isAbsent()) {
      node.error("has both resources and nonResourceURLs; a rule is about one or the other");
      return null;
    }
    if (!aboutUrls && resourcesNode.isAbsent()) {
      node.error("needs resources or nonResourceURLs");
      return null;
    }
    return aboutUrls ? urlRule(node, login) : resourceRule(node, login);
  }

  private static Rule urlRule(PolicyNode node, LoginStrength login) {
    for (String key : RESOURCE_ONLY_KEYS) {
      PolicyNode misplaced = node.get(key);
      if (!misplaced.isAbsent()) {
        misplaced.error("does not apply to a nonResourceURLs rule");
      }
    }
    List<String> verbs = verbs(node.get("verbs"), Verbs.NON_RESOURCE_VERBS, "nonResourceURLs");
    PolicyNode urlsNode = node.get("nonResourceURLs");
    List<String> urls = urlsNode.strings(RuleParser::urlProblem);
    if (urlsNode.isEmptyList()) {
      urlsNode.error("must list at least one URL path");
    }
    return new Rule(verbs, List.of(), List.of(), List.of(), List.of(), false, urls, login);
  }

  private static Rule resourceRule(PolicyNode node, LoginStrength login) {
    List<String> verbs = verbs(node.get("verbs"), Verbs.RESOURCE_VERBS, "resources");
    PolicyNode groupsNode = node.get("apiGroups");
    List<String> apiGroups =
        groupsNode.isAbsent() ? List.of("") : apiGroups(groupsNode);
    PolicyNode resourcesNode = node.get("resources");
    List<String> resources = resourcesNode.strings(RuleParser::resourceProblem);
    if (resourcesNode.isEmptyList()) {
      resourcesNode.error("must list at least one resource ('*' for all)");
    }
    List<String> names = node.get("resourceNames").strings(RuleParser::resourceNameProblem);
    PolicyNode namespacesNode = node.get("namespaces");
    List<String> namespaces =
        namespacesNode.strings(value -> labelGlobProblem(value, "a namespace name or glob"));
    boolean clusterScoped = node.get("clusterScoped").bool(false);
    if (namespacesNode.listsNothing() && !clusterScoped) {
      node.error("needs namespaces (names or globs, '*' for all and cluster-wide) or clusterScoped: true");
    }
    return new Rule(verbs, apiGroups, resources, names, namespaces, clusterScoped, List.of(), login);
  }

  private static List<String> verbs(PolicyNode node, List<String> known, String kind) {
    List<String> verbs = new ArrayList<>();
    for (PolicyNode element : node.list()) {
      String verb = element.string();
      if (verb == null) {
        if (element.isAbsent()) {
          element.error("must not be empty");
        }
        continue;
      }
      if (!verb.equals(WILDCARD) && !known.contains(verb)) {
        element.error(verbProblem(verb, known, kind));
        continue;
      }
      verbs.add(verb);
    }
    if (node.listsNothing()) {
      node.error("must list at least one verb ('*' for all)");
    }
    return List.copyOf(new LinkedHashSet<>(verbs));
  }

  private static String verbProblem(String verb, List<String> known, String kind) {
    List<String> other = kind.equals("resources") ? Verbs.NON_RESOURCE_VERBS : Verbs.RESOURCE_VERBS;
    if (other.contains(verb)) {
      return "\"" + verb + "\" is not a verb for " + kind + "; expected one of "
          + String.join(", ", known) + " or '*'";
    }
    return "unknown verb \"" + verb + "\""
        + Suggestions.closest(verb, known)
            .map(suggestion -> "; did you mean \"" + suggestion + "\"?")
            .orElseGet(() -> "; expected one of " + String.join(", ", known) + " or '*'");
  }

  private static List<String> apiGroups(PolicyNode node) {
    List<String> groups = new ArrayList<>();
    for (PolicyNode element : node.list()) {
      String group = element.text();
      if (group == null) {
        if (element.isAbsent()) {
          element.error("must not be null; write \"\" for the core group");
        }
        continue;
      }
      if (!group.isEmpty() && !group.equals(WILDCARD) && !API_GROUP.matcher(group).matches()) {
        element.error("'" + group + "' is not an API group; expected \"\" (core), a group such as apps"
            + " or networking.k8s.io, or '*'");
        continue;
      }
      groups.add(group);
    }
    if (node.isEmptyList()) {
      node.error("must list at least one API group (leave it out for the core group, '*' for all)");
    }
    return groups;
  }

  private static LoginStrength loginStrength(PolicyNode node) {
    if (!node.mapping(MFA_KEYS, false)) {
      return LoginStrength.NONE;
    }
    boolean required = node.get("required").bool(true);
    Duration maxAge = node.get("maxAge").duration(MIN_MAX_AGE, MAX_MAX_AGE);
    PolicyNode acrNode = node.get("acr");
    List<String> acr;
    if (acrNode.isAbsent()) {
      acr = List.of();
    } else if (acrNode.isScalar()) {
      String single = acrNode.string();
      acr = single == null ? List.of() : List.of(single);
    } else {
      acr = acrNode.strings(value -> null);
    }
    return new LoginStrength(required, maxAge, new LinkedHashSet<>(acr));
  }

  static String labelGlobProblem(String value, String what) {
    if (LABEL_GLOB.matcher(value).matches()) {
      return null;
    }
    return "'" + value + "' is not " + what + " (lowercase letters, digits and '-', with '*' as wildcard)";
  }

  private static String resourceProblem(String resource) {
    if (resource.equals(WILDCARD)) {
      return null;
    }
    String[] parts = resource.split("/", -1);
    if (parts.length > 2) {
      return "'" + resource + "' has more than one '/'; expected RESOURCE or RESOURCE/SUBRESOURCE";
    }
    if (parts.length == 2 && parts[1].equals(WILDCARD)) {
      return "'" + resource + "' is not supported: RBAC has no subresource wildcard; list the"
          + " subresources (" + parts[0] + "/log, " + parts[0] + "/exec, …) or use */SUBRESOURCE";
    }
    if (parts.length == 2 && parts[0].equals(WILDCARD)) {
      return RESOURCE.matcher(parts[1]).matches() ? null : notAResource(resource);
    }
    for (String part : parts) {
      if (part.contains(WILDCARD)) {
        return "'" + resource + "': '*' stands alone, or as */SUBRESOURCE";
      }
      if (!RESOURCE.matcher(part).matches()) {
        return notAResource(resource);
      }
    }
    return null;
  }

  private static String notAResource(String resource) {
    return "'" + resource + "' is not a resource; expected a lowercase plural such as pods,"
        + " pods/log, */scale or '*'";
  }

  private static String resourceNameProblem(String name) {
    if (name.contains(WILDCARD)) {
      return "resourceNames are exact names and '*' is no wildcard here; leave resourceNames out"
          + " to allow every name";
    }
    return null;
  }

  private static String urlProblem(String url) {
    if (url.equals(WILDCARD)) {
      return null;
    }
    if (!url.startsWith("/")) {
      return "'" + url + "' is not a URL path; expected /healthz, /metrics, /logs/* or '*'";
    }
    int star = url.indexOf('*');
    if (star >= 0 && star != url.length() - 1) {
      return "'" + url + "': '*' is only allowed at the end of a URL path";
    }
    return null;
  }
}
