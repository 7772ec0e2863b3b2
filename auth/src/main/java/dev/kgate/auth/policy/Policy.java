package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.Refused;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.attributes.Resolution;
import dev.kgate.auth.attributes.ResourceSpec;
import dev.kgate.auth.stepup.LoginStrength;
import dev.kgate.auth.stepup.StepUp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The central policy: who may do what on which cluster, with which login, as loaded from the
 * policy file by {@link PolicyLoader}. Immutable; a reload builds a new one. It is compiled at
 * construction (rules into hash sets and bit masks, roles indexed by user and by group) so that
 * {@link PolicyEngine} can decide a request in microseconds whatever the number of roles, and so
 * that {@link #whoCan} answers with the same matching the gateway uses.
 */
public final class Policy {

  /** The group every authenticated person is in; a role or block naming it applies to everyone. */
  public static final String EVERYONE = "system:authenticated";
  /**
   * The RFC 8176 {@code amr} values that count as a second factor unless the policy names its own:
   * those of {@link StepUp#MFA_METHODS}, so the policy and the step-up check agree.
   */
  public static final List<String> DEFAULT_MFA_METHODS = StepUp.MFA_METHODS.stream().sorted().toList();
  public static final boolean DEFAULT_DISCOVERY_ALLOWED = true;

  private final Subjects blocked;
  private final boolean discoveryAllowed;
  private final List<String> mfaMethods;
  private final List<Role> roles;

  private final Set<String> blockedUsers;
  private final Set<String> blockedGroups;
  private final Set<String> mfaMethodSet;
  private final List<CompiledRole> compiled;
  private final Map<String, int[]> rolesByUser;
  private final Map<String, int[]> rolesByGroup;
  private final int[] rolesForEveryone;

  Policy(Subjects blocked, boolean discoveryAllowed, List<String> mfaMethods, List<Role> roles) {
    this.blocked = Objects.requireNonNull(blocked, "blocked");
    this.discoveryAllowed = discoveryAllowed;
    this.mfaMethods = List.copyOf(mfaMethods);
    this.roles = List.copyOf(roles);
    this.blockedUsers = Set.copyOf(blocked.users());
    this.blockedGroups = Set.copyOf(blocked.groups());
    this.mfaMethodSet = Set.copyOf(mfaMethods);
    List<CompiledRole> compiledRoles = new ArrayList<>(roles.size());
    Map<String, List<Integer>> byUser = new HashMap<>();
    Map<String, List<Integer>> byGroup = new HashMap<>();
    for (int i = 0; i < this.roles.size(); i++) {
      Role role = this.roles.get(i);
      compiledRoles.add(new CompiledRole(role, i));
      for (String user : role.subjects().users()) {
        byUser.computeIfAbsent(user, key -> new ArrayList<>()).add(i);
      }
      for (String group : role.subjects().groups()) {
        byGroup.computeIfAbsent(group, key -> new ArrayList<>()).add(i);
      }
    }
    this.compiled = List.copyOf(compiledRoles);
    this.rolesByUser = toArrays(byUser);
    this.rolesByGroup = toArrays(byGroup);
    this.rolesForEveryone = rolesByGroup.getOrDefault(EVERYONE, new int[0]);
  }

  private static Map<String, int[]> toArrays(Map<String, List<Integer>> lists) {
    Map<String, int[]> arrays = new HashMap<>();
    lists.forEach(
        (key, list) -> arrays.put(key, list.stream().distinct().mapToInt(Integer::intValue).toArray()));
    return Map.copyOf(arrays);
  }

  /** Users and groups refused on every request, whatever their roles. */
  public Subjects blocked() {
    return blocked;
  }

  /** Whether discovery URLs are allowed to everyone holding a role on the cluster. */
  public boolean discoveryAllowed() {
    return discoveryAllowed;
  }

  /** The {@code amr} values that count as a multi-factor login. */
  public List<String> mfaMethods() {
    return mfaMethods;
  }

  /** The roles, in file order. */
  public List<Role> roles() {
    return roles;
  }

  public Optional<Role> role(String name) {
    return roles.stream().filter(role -> role.name().equals(name)).findFirst();
  }

  /**
   * Which roles allow {@code verb} on {@code resource} in {@code namespace} on {@code cluster}, and
   * which deny it. {@code resource} is {@code pods}, {@code deployments.apps},
   * {@code pods/exec}, {@code deployments.apps/scale}, or a URL path such as {@code /metrics}
   * (then {@code namespace} must be null). A null or empty namespace asks about cluster-wide
   * requests. {@code exec}, {@code attach} and {@code portforward} are asked about as
   * {@code create}, the verb the gateway decides them as ({@link ResourceSpec}).
   *
   * @throws IllegalArgumentException when {@code resource} is malformed (callers taking it from a
   *     person should call {@link ResourceSpec#resolve} first, which reports it as a value)
   */
  public WhoCan whoCan(String cluster, String verb, String resource, String namespace) {
    Resolution resolution = ResourceSpec.resolve(verb, resource, namespace, null);
    if (resolution instanceof Refused) {
      throw new IllegalArgumentException(((Refused) resolution).reason());
    }
    return whoCan(cluster, (RequestAttributes) resolution);
  }

  /** Which roles allow, and which deny, a request with these attributes on {@code cluster}. */
  public WhoCan whoCan(String cluster, RequestAttributes attributes) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(attributes, "attributes");
    List<WhoCan.Grant> allowing = new ArrayList<>();
    List<WhoCan.Grant> denying = new ArrayList<>();
    boolean discovery = discoveryAllowed && Discovery.isDiscovery(attributes);
    for (CompiledRole role : compiled) {
      if (!role.appliesTo(cluster)) {
        continue;
      }
      CompiledRule deny = role.denying(attributes);
      if (deny != null) {
        denying.add(grant(role, deny.index(), LoginStrength.NONE));
      }
      CompiledRule allow = null;
      for (CompiledRule rule : role.allowRules()) {
        if (rule.matches(attributes) && (allow == null || isWeaker(rule, allow))) {
          allow = rule;
        }
      }
      if (allow != null) {
        allowing.add(grant(role, allow.index(), allow.rule().login()));
      } else if (discovery) {
        allowing.add(grant(role, Decision.Allowed.DISCOVERY_RULE, LoginStrength.NONE));
      }
    }
    return new WhoCan(allowing, denying, blocked);
  }

  /** Prefers, among a role's matching rules, one demanding no step-up; otherwise the first. */
  private static boolean isWeaker(CompiledRule candidate, CompiledRule current) {
    return !candidate.rule().login().demandsAnything() && current.rule().login().demandsAnything();
  }

  private WhoCan.Grant grant(CompiledRole role, int ruleIndex, LoginStrength login) {
    Subjects subjects = role.role().subjects();
    List<String> users = new ArrayList<>(subjects.users());
    users.removeAll(blockedUsers);
    List<String> groups = new ArrayList<>(subjects.groups());
    groups.removeAll(blockedGroups);
    return new WhoCan.Grant(role.role().name(), ruleIndex, new Subjects(users, groups), login);
  }

  // ---- used by PolicyEngine ----

  boolean isBlocked(String username, Collection<String> groups) {
    if (blockedUsers.isEmpty() && blockedGroups.isEmpty()) {
      return false;
    }
    if (blockedUsers.contains(username) || blockedGroups.contains(EVERYONE)) {
      return true;
    }
    for (String group : groups) {
      if (blockedGroups.contains(group)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The roles this person holds on {@code cluster}, in policy order: what {@code kgate whoami} and
   * the gateway's cluster list show. Empty for a blocked person.
   */
  public List<Role> rolesOf(Subject subject, String cluster) {
    if (isBlocked(subject.username(), subject.groups())) {
      return List.of();
    }
    long[] candidates = candidateRoles(subject.username(), subject.groups());
    List<Role> held = new ArrayList<>();
    for (int word = 0; word < candidates.length; word++) {
      long bits = candidates[word];
      while (bits != 0) {
        int index = (word << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        CompiledRole role = compiled.get(index);
        if (role.appliesTo(cluster)) {
          held.add(role.role());
        }
      }
    }
    return List.copyOf(held);
  }

  Set<String> mfaMethodSet() {
    return mfaMethodSet;
  }

  /**
   * The roles naming this user or one of these groups, as a bit set over role indexes, so that
   * iterating it visits them in policy order exactly once.
   */
  long[] candidateRoles(String username, Collection<String> groups) {
    long[] bits = new long[(compiled.size() + 63) >>> 6];
    mark(bits, rolesByUser.get(username));
    mark(bits, rolesForEveryone);
    for (String group : groups) {
      mark(bits, rolesByGroup.get(group));
    }
    return bits;
  }

  private static void mark(long[] bits, int[] roleIndexes) {
    if (roleIndexes != null) {
      for (int index : roleIndexes) {
        bits[index >>> 6] |= 1L << index;
      }
    }
  }

  CompiledRole compiledRole(int index) {
    return compiled.get(index);
  }

  /** Every group a request allowed by these roles may be impersonated with, de-duplicated. */
  static List<String> unionOfGroups(Collection<CompiledRole> roles) {
    Set<String> groups = new LinkedHashSet<>();
    for (CompiledRole role : roles) {
      groups.addAll(role.role().impersonateGroups());
    }
    return List.copyOf(groups);
  }
}
