package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A {@link Role} with its cluster patterns and rules compiled; see {@link CompiledRule}. */
final class CompiledRole {

  private final Role role;
  private final int index;
  private final NameMatcher clusters;
  private final List<CompiledRule> allow;
  private final List<CompiledRule> deny;

  CompiledRole(Role role, int index) {
    this.role = Objects.requireNonNull(role, "role");
    this.index = index;
    this.clusters = new NameMatcher(role.clusters());
    this.allow = compile(role.rules());
    this.deny = compile(role.deny());
  }

  private static List<CompiledRule> compile(List<Rule> rules) {
    List<CompiledRule> compiled = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      compiled.add(new CompiledRule(rules.get(i), i));
    }
    return List.copyOf(compiled);
  }

  Role role() {
    return role;
  }

  /** The role's position in the policy; earlier roles are reported first. */
  int index() {
    return index;
  }

  boolean appliesTo(String cluster) {
    return clusters.matches(cluster);
  }

  /** The first deny rule matching the request, or null. */
  CompiledRule denying(RequestAttributes attributes) {
    for (CompiledRule rule : deny) {
      if (rule.matches(attributes)) {
        return rule;
      }
    }
    return null;
  }

  List<CompiledRule> allowRules() {
    return allow;
  }
}
