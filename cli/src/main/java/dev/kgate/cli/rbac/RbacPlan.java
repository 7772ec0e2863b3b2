package dev.kgate.cli.rbac;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.Role;
import dev.kgate.auth.policy.Rule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What one cluster's RBAC must hold so that the API server allows what the policy's allow rules
 * allow, for the groups the gateway impersonates: the second lock of "two locks, one key". Pure:
 * it reads the policy, the cluster's name and the cluster's namespaces, and touches nothing.
 *
 * <p>Per role that covers the cluster and names {@code impersonate.groups}: one ClusterRole and
 * ClusterRoleBinding {@code kgate:<role>} for its rules over every namespace ({@code *}), its
 * {@code clusterScoped} rules and its URL rules; one Role and RoleBinding {@code kgate:<role>} in
 * each existing namespace that its other rules name or whose name their globs match. Bindings bind
 * the role's {@code impersonate.groups}. Every object carries {@value #MANAGED_BY_LABEL}:
 * {@value #MANAGED_BY}, which is what {@link RbacSync} prunes by, and annotations naming the policy
 * role and rules it comes from.
 *
 * <p>Deny rules and login demands cannot be said in RBAC; they stay with the gateway
 * ({@link #gatewayOnlyNotes}).
 */
public final class RbacPlan {

  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "kgate";
  public static final String ROLE_ANNOTATION = "kgate.dev/policy-role";
  public static final String RULES_ANNOTATION = "kgate.dev/policy-rules";
  static final String NAME_PREFIX = "kgate:";
  static final String RBAC_API_GROUP = "rbac.authorization.k8s.io";

  private static final String WILDCARD = "*";
  private static final String CORE_GROUP = "";
  /**
   * Subresources that kubectl opens with a WebSocket {@code GET}. The gateway decides them as
   * {@code create}; API servers before 1.35 authorize that {@code GET} as {@code get}, so the
   * cluster's RBAC needs both verbs for them (docs/policy.md).
   */
  private static final List<String> CONNECT_SUBRESOURCES = List.of("exec", "attach", "portforward");

  private final String cluster;
  private final List<HasMetadata> objects;
  private final List<String> notes;

  private RbacPlan(String cluster, List<HasMetadata> objects, List<String> notes) {
    this.cluster = cluster;
    this.objects = List.copyOf(objects);
    this.notes = List.copyOf(notes);
  }

  /**
   * The objects {@code cluster} must hold for {@code policy}, given the namespaces it has now.
   * Globs such as {@code dev-*} are expanded against {@code namespaces}, so a namespace created
   * later is covered by the next sync.
   */
  public static RbacPlan of(Policy policy, String cluster, Collection<String> namespaces) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(cluster, "cluster");
    Set<String> existing = new TreeSet<>(namespaces);
    List<HasMetadata> objects = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Role role : policy.roles()) {
      if (role.impersonateGroups().isEmpty() || !matchesAny(role.clusters(), cluster)) {
        continue;
      }
      planRole(role, existing, objects, notes);
    }
    return new RbacPlan(cluster, objects, notes);
  }

  private static void planRole(Role role, Set<String> namespaces, List<HasMetadata> objects, List<String> notes) {
    List<PolicyRule> clusterWide = new ArrayList<>();
    Set<Integer> clusterWideFrom = new TreeSet<>();
    Map<String, List<PolicyRule>> byNamespace = new TreeMap<>();
    Map<String, Set<Integer>> byNamespaceFrom = new TreeMap<>();
    Set<String> missing = new TreeSet<>();
    for (int i = 0; i < role.rules().size(); i++) {
      Rule rule = role.rules().get(i);
      List<PolicyRule> rbacRules = policyRules(rule);
      if (isClusterWide(rule)) {
        // A ClusterRoleBinding also grants in every namespace: the namespaced part is covered.
        clusterWide.addAll(rbacRules);
        clusterWideFrom.add(i);
        continue;
      }
      for (String namespace : namespaces) {
        if (matchesAny(rule.namespaces(), namespace)) {
          byNamespace.computeIfAbsent(namespace, key -> new ArrayList<>()).addAll(rbacRules);
          byNamespaceFrom.computeIfAbsent(namespace, key -> new TreeSet<>()).add(i);
        }
      }
      rule.namespaces().stream()
          .filter(namespace -> !namespace.contains(WILDCARD) && !namespaces.contains(namespace))
          .forEach(missing::add);
    }
    String name = NAME_PREFIX + role.name();
    List<Subject> subjects = subjects(role);
    if (!clusterWide.isEmpty()) {
      objects.add(new ClusterRoleBuilder()
          .withMetadata(metadata(name, null, role, clusterWideFrom))
          .withRules(clusterWide)
          .build());
      objects.add(new ClusterRoleBindingBuilder()
          .withMetadata(metadata(name, null, role, null))
          .withRoleRef(new RoleRefBuilder().withApiGroup(RBAC_API_GROUP).withKind("ClusterRole").withName(name).build())
          .withSubjects(subjects)
          .build());
    }
    byNamespace.forEach((namespace, rules) -> {
      objects.add(new RoleBuilder()
          .withMetadata(metadata(name, namespace, role, byNamespaceFrom.get(namespace)))
          .withRules(rules)
          .build());
      objects.add(new RoleBindingBuilder()
          .withMetadata(metadata(name, namespace, role, null))
          .withRoleRef(new RoleRefBuilder().withApiGroup(RBAC_API_GROUP).withKind("Role").withName(name).build())
          .withSubjects(subjects)
          .build());
    });
    for (String namespace : missing) {
      notes.add("role " + role.name() + ": namespace " + namespace
          + " does not exist on this cluster; nothing written for it (sync again once it exists)");
    }
  }

  /** Rules over every namespace, about cluster-scoped requests, or about URLs need a ClusterRole. */
  private static boolean isClusterWide(Rule rule) {
    return rule.isNonResource() || rule.clusterScoped() || rule.namespaces().contains(WILDCARD);
  }

  /**
   * One policy rule in RBAC's terms. The fields mean the same in both (the policy loader refuses
   * what RBAC cannot say, such as {@code pods/*}); the one addition is {@code get} on the connect
   * subresources a rule grants with {@code create}, which older API servers check.
   */
  static List<PolicyRule> policyRules(Rule rule) {
    if (rule.isNonResource()) {
      return List.of(new PolicyRuleBuilder()
          .withVerbs(rule.verbs())
          .withNonResourceURLs(rule.nonResourceURLs())
          .build());
    }
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(new PolicyRuleBuilder()
        .withVerbs(rule.verbs())
        .withApiGroups(rule.apiGroups())
        .withResources(rule.resources())
        .withResourceNames(rule.resourceNames())
        .build());
    List<String> connect = connectSubresourcesWithoutGet(rule);
    if (!connect.isEmpty()) {
      rules.add(new PolicyRuleBuilder()
          .withVerbs("get")
          .withApiGroups(CORE_GROUP)
          .withResources(connect)
          .withResourceNames(rule.resourceNames())
          .build());
    }
    return rules;
  }

  private static List<String> connectSubresourcesWithoutGet(Rule rule) {
    List<String> verbs = rule.verbs();
    boolean coreGroup = rule.apiGroups().contains(CORE_GROUP) || rule.apiGroups().contains(WILDCARD);
    if (!verbs.contains("create") || verbs.contains("get") || verbs.contains(WILDCARD) || !coreGroup) {
      return List.of();
    }
    Set<String> connect = new LinkedHashSet<>();
    for (String resource : rule.resources()) {
      if (resource.equals(WILDCARD)) {
        CONNECT_SUBRESOURCES.forEach(sub -> connect.add("pods/" + sub));
        continue;
      }
      int slash = resource.indexOf('/');
      if (slash < 0) {
        continue;
      }
      String parent = resource.substring(0, slash);
      String sub = resource.substring(slash + 1);
      if ((parent.equals("pods") || parent.equals(WILDCARD)) && CONNECT_SUBRESOURCES.contains(sub)) {
        connect.add(resource);
      }
    }
    return List.copyOf(connect);
  }

  private static List<Subject> subjects(Role role) {
    return role.impersonateGroups().stream()
        .map(group -> new SubjectBuilder().withApiGroup(RBAC_API_GROUP).withKind("Group").withName(group).build())
        .toList();
  }

  private static ObjectMeta metadata(String name, String namespace, Role role, Set<Integer> ruleIndexes) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ROLE_ANNOTATION, role.name());
    if (ruleIndexes != null) {
      annotations.put(RULES_ANNOTATION,
          ruleIndexes.stream().map(i -> "rules[" + i + "]").collect(Collectors.joining(", ")));
    }
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY))
        .withAnnotations(annotations)
        .build();
  }

  /**
   * What the policy says that RBAC cannot, one line per role: deny rules and login demands are
   * enforced by the gateway alone, and a role without {@code impersonate.groups} has no group to
   * bind, so the API server refuses what the gateway allows for it.
   */
  public static List<String> gatewayOnlyNotes(Policy policy) {
    List<String> notes = new ArrayList<>();
    for (Role role : policy.roles()) {
      if (role.impersonateGroups().isEmpty()) {
        notes.add("role " + role.name() + ": no impersonate.groups, so nothing is bound in RBAC;"
            + " the API server refuses what this role allows");
        continue;
      }
      List<String> gatewayOnly = new ArrayList<>();
      if (!role.deny().isEmpty()) {
        gatewayOnly.add("its deny rules");
      }
      List<String> demanding = new ArrayList<>();
      for (int i = 0; i < role.rules().size(); i++) {
        if (role.rules().get(i).login().demandsAnything()) {
          demanding.add("rules[" + i + "]");
        }
      }
      if (!demanding.isEmpty()) {
        gatewayOnly.add("the login demands of " + String.join(", ", demanding));
      }
      if (!gatewayOnly.isEmpty()) {
        notes.add("role " + role.name() + ": " + String.join(" and ", gatewayOnly)
            + " are enforced by the gateway only; RBAC cannot express them");
      }
    }
    return notes;
  }

  /** The cluster this plan is for. */
  public String cluster() {
    return cluster;
  }

  /** The objects, each role's ClusterRole and ClusterRoleBinding before its Roles and RoleBindings. */
  public List<HasMetadata> objects() {
    return objects;
  }

  /** What could not be planned on this cluster, such as a named namespace it does not have. */
  public List<String> notes() {
    return notes;
  }

  /** {@code *} matches any run of characters, as in the policy's cluster and namespace globs. */
  static boolean matchesAny(List<String> globs, String name) {
    for (String glob : globs) {
      boolean isGlob = glob.contains(WILDCARD);
      if (glob.equals(name) || (isGlob && globPattern(glob).matcher(name).matches())) {
        return true;
      }
    }
    return false;
  }

  private static Pattern globPattern(String glob) {
    return Pattern.compile(
        Arrays.stream(glob.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*")));
  }
}
