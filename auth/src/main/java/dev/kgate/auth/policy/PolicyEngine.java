package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.stepup.LoginStrength;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides requests under a {@link Policy}. The order is what makes it safe:
 * <ol>
 *   <li>a blocked user or group is denied, whatever they hold (incident response);
 *   <li>only roles naming the person (by user, by group, or {@code system:authenticated}) and
 *       covering the cluster count; with none, the answer is the same "no access to cluster" a
 *       cluster that does not exist gets;
 *   <li>any matching deny rule of those roles denies, beating every allow;
 *   <li>an allow rule whose login demand the person meets allows; the groups impersonated are the
 *       union of {@code impersonate.groups} of every role that allowed this request;
 *   <li>discovery URLs are allowed by default (policy {@code discovery: allow});
 *   <li>an allow rule whose login demand the person does not meet asks for a step-up;
 *   <li>otherwise: denied. Deny by default.
 * </ol>
 *
 * <p>Why the union of allowing roles and not only the first one's groups: the answer then does not
 * depend on the order roles appear in the file, and every group sent has a grant for this very
 * request (roles that did not allow it contribute nothing), so it gives the API server no more than
 * the policy allowed. Thread-safe and immutable; a reload builds a new engine. Time comes from the
 * injected clock.
 */
public final class PolicyEngine {

  private final Policy policy;
  private final Clock clock;

  public PolicyEngine(Policy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public Policy policy() {
    return policy;
  }

  /** The decision for {@code subject} making a request with {@code attributes} on {@code cluster}. */
  public Decision decide(Subject subject, String cluster, RequestAttributes attributes) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(attributes, "attributes");
    if (policy.isBlocked(subject.username(), subject.groups())) {
      return new Decision.Denied(
          Decision.Denied.Reason.BLOCKED,
          DenialMessages.blocked(),
          "subject " + subject.username() + " is blocked by the policy");
    }
    long[] candidates = policy.candidateRoles(subject.username(), subject.groups());
    Instant now = clock.instant();
    List<CompiledRole> held = new ArrayList<>(4);
    List<CompiledRole> allowing = new ArrayList<>(2);
    CompiledRole allowedRole = null;
    CompiledRule allowedRule = null;
    CompiledRole stepUpRole = null;
    CompiledRule stepUpRule = null;
    for (int word = 0; word < candidates.length; word++) {
      long bits = candidates[word];
      while (bits != 0) {
        int index = (word << 6) + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
        CompiledRole role = policy.compiledRole(index);
        if (!role.appliesTo(cluster)) {
          continue;
        }
        held.add(role);
        CompiledRule deny = role.denying(attributes);
        if (deny != null) {
          return new Decision.Denied(
              Decision.Denied.Reason.DENY_RULE,
              DenialMessages.mayNot(attributes, cluster),
              "role " + role.role().name() + " deny[" + deny.index() + "] matches");
        }
        CompiledRule met = null;
        for (CompiledRule rule : role.allowRules()) {
          if (!rule.matches(attributes)) {
            continue;
          }
          if (meets(subject, rule.rule().login(), now)) {
            met = rule;
            break;
          }
          if (stepUpRule == null) {
            stepUpRole = role;
            stepUpRule = rule;
          }
        }
        if (met != null) {
          allowing.add(role);
          if (allowedRule == null) {
            allowedRole = role;
            allowedRule = met;
          }
        }
      }
    }
    if (held.isEmpty()) {
      return Decision.Denied.noAccessToCluster(cluster);
    }
    if (allowedRule != null) {
      return new Decision.Allowed(
          allowedRole.role().name(),
          allowedRule.index(),
          Policy.unionOfGroups(allowing),
          allowedRule.rule().login());
    }
    if (policy.discoveryAllowed() && Discovery.isDiscovery(attributes)) {
      // groups of every role the person holds here: discovery is the same for all of them
      return new Decision.Allowed(
          held.get(0).role().name(),
          Decision.Allowed.DISCOVERY_RULE,
          Policy.unionOfGroups(held),
          LoginStrength.NONE);
    }
    if (stepUpRule != null) {
      return new Decision.StepUpRequired(
          stepUpRole.role().name(), stepUpRule.index(), stepUpRule.rule().login());
    }
    return new Decision.Denied(
        Decision.Denied.Reason.NOT_ALLOWED,
        DenialMessages.mayNot(attributes, cluster),
        "no allow rule matches in roles " + names(held));
  }

  /** Whether the subject's login satisfies {@code needed}; a missing claim is simply not met. */
  private boolean meets(Subject subject, LoginStrength needed, Instant now) {
    if (!needed.demandsAnything()) {
      return true;
    }
    if (needed.mfa() && !containsAny(subject.amr(), policy.mfaMethodSet())) {
      return false;
    }
    if (needed.maxAge() != null
        && (subject.authTime() == null || subject.authTime().plus(needed.maxAge()).isBefore(now))) {
      return false;
    }
    return needed.acrAny().isEmpty()
        || (subject.acr() != null && needed.acrAny().contains(subject.acr()));
  }

  private static boolean containsAny(Set<String> values, Set<String> wanted) {
    for (String value : values) {
      if (wanted.contains(value)) {
        return true;
      }
    }
    return false;
  }

  private static String names(List<CompiledRole> roles) {
    List<String> names = new ArrayList<>(roles.size());
    for (CompiledRole role : roles) {
      names.add(role.role().name());
    }
    return names.toString();
  }
}
