package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.Verbs;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds what is legal in a policy but probably a mistake: rules that can never match (a deny in
 * the same role covers them, a verb the request can never carry, clusters that do not exist),
 * roles nobody holds, and wildcards that quietly include Secrets. Errors stop a policy from
 * loading ({@link PolicyLoader}); these only warn, because each can be intended.
 */
public final class PolicyLint {

  private static final Set<String> STREAM_SUBRESOURCES = Set.of("exec", "attach", "portforward");
  private static final Set<String> NAMELESS_VERBS = Set.of(Verbs.CREATE, Verbs.DELETECOLLECTION);
  private static final Set<String> READ_VERBS = Set.of(Verbs.GET, Verbs.LIST, Verbs.WATCH, "*");

  private PolicyLint() {}

  /** Warnings that need no knowledge of the gateway configuration. */
  public static List<PolicyWarning> check(Policy policy) {
    return check(policy, null);
  }

  /**
   * Warnings, including cluster names and globs that match none of {@code knownClusters} (the
   * clusters in the gateway configuration).
   */
  public static List<PolicyWarning> check(Policy policy, Set<String> knownClusters) {
    Objects.requireNonNull(policy, "policy");
    List<PolicyWarning> warnings = new ArrayList<>();
    for (int r = 0; r < policy.roles().size(); r++) {
      Role role = policy.roles().get(r);
      String rolePath = "roles[" + r + "]";
      checkSubjects(policy, role, rolePath, warnings);
      if (knownClusters != null) {
        checkClusters(role, rolePath, knownClusters, warnings);
      }
      for (int i = 0; i < role.rules().size(); i++) {
        Rule rule = role.rules().get(i);
        String rulePath = rolePath + ".rules[" + i + "]";
        checkSecrets(rule, rulePath, warnings);
        checkUnmatchableVerbs(rule, rulePath, warnings);
        for (int d = 0; d < role.deny().size(); d++) {
          if (RuleCoverage.covers(role.deny().get(d), rule)) {
            warnings.add(new PolicyWarning(rulePath,
                "can never allow anything: " + rolePath + ".deny[" + d + "] denies all it allows"));
            break;
          }
        }
      }
      for (int d = 0; d < role.deny().size(); d++) {
        checkUnmatchableVerbs(role.deny().get(d), rolePath + ".deny[" + d + "]", warnings);
      }
    }
    return List.copyOf(warnings);
  }

  private static void checkSubjects(Policy policy, Role role, String rolePath, List<PolicyWarning> warnings) {
    if (role.subjects().isEmpty()) {
      warnings.add(new PolicyWarning(rolePath + ".subjects", "the role names no users or groups: nobody holds it"));
      return;
    }
    boolean allBlocked =
        policy.blocked().users().containsAll(role.subjects().users())
            && policy.blocked().groups().containsAll(role.subjects().groups());
    if (allBlocked) {
      warnings.add(new PolicyWarning(rolePath + ".subjects", "every user and group of the role is blocked"));
    }
  }

  private static void checkClusters(Role role, String rolePath, Set<String> known, List<PolicyWarning> warnings) {
    for (int i = 0; i < role.clusters().size(); i++) {
      NameGlob glob = NameGlob.of(role.clusters().get(i));
      boolean matchesOne = known.stream().anyMatch(glob::matches);
      if (!matchesOne) {
        warnings.add(new PolicyWarning(rolePath + ".clusters[" + i + "]",
            glob.isLiteral()
                ? "cluster '" + glob.pattern() + "' is not in the gateway configuration"
                : "'" + glob.pattern() + "' matches no cluster in the gateway configuration"));
      }
    }
  }

  private static void checkSecrets(Rule rule, String rulePath, List<PolicyWarning> warnings) {
    if (rule.isNonResource()
        || !rule.resources().contains("*")
        || !(rule.apiGroups().contains("") || rule.apiGroups().contains("*"))
        || rule.verbs().stream().noneMatch(READ_VERBS::contains)) {
      return;
    }
    warnings.add(new PolicyWarning(rulePath + ".resources",
        "'*' includes secrets: this rule lets its holders read every Secret in its namespaces;"
            + " list the resources, or add a deny rule for secrets"));
  }

  private static void checkUnmatchableVerbs(Rule rule, String rulePath, List<PolicyWarning> warnings) {
    if (rule.isNonResource() || rule.verbs().contains("*")) {
      return;
    }
    if (!rule.resourceNames().isEmpty()) {
      List<String> nameless = rule.verbs().stream().filter(NAMELESS_VERBS::contains).toList();
      if (!nameless.isEmpty()) {
        warnings.add(new PolicyWarning(rulePath + ".verbs",
            String.join(", ", nameless) + (nameless.size() == 1 ? " never matches" : " never match")
                + " with resourceNames: those requests carry no object name"));
      }
    }
    if (!rule.verbs().contains(Verbs.CREATE)) {
      for (String resource : rule.resources()) {
        int slash = resource.indexOf('/');
        if (slash >= 0 && STREAM_SUBRESOURCES.contains(resource.substring(slash + 1))) {
          warnings.add(new PolicyWarning(rulePath + ".resources",
              resource + " is decided as create whatever the HTTP method, and this rule's verbs"
                  + " do not include create: it never matches " + resource));
        }
      }
    }
  }
}
