package dev.kgate.auth.policy;

import java.util.List;
import java.util.Objects;

/**
 * A named set of rights: who holds it ({@code subjects}), on which clusters, with which groups the
 * API server sees, what it allows and what it denies. A role's deny rules bind its subjects on its
 * clusters whatever other roles they hold: deny beats allow.
 *
 * @param name              unique, a DNS-style name (it names RBAC objects)
 * @param description       free text, or empty
 * @param subjects          users and groups holding the role
 * @param clusters          cluster names and globs ({@code prod-*}, {@code *})
 * @param impersonateGroups the Kubernetes groups requests allowed by this role are impersonated with
 * @param rules             allow rules, at least one
 * @param deny              deny rules
 */
public record Role(
    String name,
    String description,
    Subjects subjects,
    List<String> clusters,
    List<String> impersonateGroups,
    List<Rule> rules,
    List<Rule> deny) {

  public Role {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(subjects, "subjects");
    clusters = List.copyOf(clusters);
    impersonateGroups = List.copyOf(impersonateGroups);
    rules = List.copyOf(rules);
    deny = List.copyOf(deny);
  }
}
