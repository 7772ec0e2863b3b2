package dev.kgate.cli.rbac;

import dev.kgate.auth.policy.Policy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Brings one cluster's kgate-managed RBAC objects in line with an {@link RbacPlan}: creates what is
 * missing, updates what differs, deletes what the policy no longer produces, and reports each of
 * these as an {@link RbacChange}. Only objects labelled {@value RbacPlan#MANAGED_BY_LABEL}:
 * {@value RbacPlan#MANAGED_BY} are ever updated or deleted; an unlabelled object that holds a
 * name the plan wants is reported as a conflict and left alone, because it belongs to someone
 * else. A dry run computes the same changes and writes nothing. Running it twice in a row changes
 * nothing the second time: objects are compared on what kgate writes (rules, roleRef, subjects and
 * its annotations), never on what the API server adds.
 */
public final class RbacSync {

  private final KubernetesClient client;

  public RbacSync(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** What a sync found and did: the plan it worked from and the changes, in the order applied. */
  public record Result(RbacPlan plan, List<RbacChange> changes) {

    public Result {
      Objects.requireNonNull(plan, "plan");
      changes = List.copyOf(changes);
    }

    public boolean hasConflicts() {
      return changes.stream().anyMatch(change -> change.type() == RbacChange.Type.CONFLICT);
    }
  }

  /** An object change together with what it needs to be applied. */
  private record Pending(RbacChange change, HasMetadata desired, HasMetadata existing) {}

  /**
   * Syncs {@code policy} into the cluster this client talks to, which the policy calls
   * {@code cluster}.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when the API server cannot be
   *     reached or refuses a call; changes applied before the failure stay applied
   */
  public Result sync(Policy policy, String cluster, boolean dryRun) {
    List<String> namespaces =
        client.namespaces().list().getItems().stream().map(ns -> ns.getMetadata().getName()).toList();
    RbacPlan plan = RbacPlan.of(policy, cluster, namespaces);
    List<Pending> pending = compare(plan.objects(), managedObjects());
    if (!dryRun) {
      pending.forEach(this::apply);
    }
    return new Result(plan, pending.stream().map(Pending::change).toList());
  }

  private List<Pending> compare(List<HasMetadata> desired, Map<ObjectKey, HasMetadata> existing) {
    List<Pending> pending = new ArrayList<>();
    for (HasMetadata want : desired) {
      ObjectKey key = ObjectKey.of(want);
      HasMetadata have = existing.remove(key);
      if (have == null) {
        HasMetadata foreign = client.resource(want).get();
        if (foreign != null) {
          pending.add(new Pending(new RbacChange(RbacChange.Type.CONFLICT, key, List.of(
              "exists without the label " + RbacPlan.MANAGED_BY_LABEL + ": " + RbacPlan.MANAGED_BY
                  + "; left alone (delete it or rename the policy role)")), want, foreign));
        } else {
          pending.add(new Pending(new RbacChange(RbacChange.Type.CREATE, key, describe(want)), want, null));
        }
        continue;
      }
      List<String> before = describe(have);
      List<String> after = describe(want);
      if (!before.equals(after)) {
        pending.add(new Pending(new RbacChange(RbacChange.Type.UPDATE, key, lineDiff(before, after)), want, have));
      }
    }
    // Never bind the impersonated groups to a role someone else wrote under kgate's name.
    Set<ObjectKey> foreignRoles = new LinkedHashSet<>();
    pending.stream()
        .filter(p -> p.change().type() == RbacChange.Type.CONFLICT && !p.change().key().isBinding())
        .forEach(p -> foreignRoles.add(p.change().key()));
    pending.removeIf(p -> p.change().key().isBinding() && p.change().type() != RbacChange.Type.CONFLICT
        && foreignRoles.contains(p.change().key().roleOfBinding()));
    // Bindings go before the roles they refer to, so no binding points at a missing role.
    existing.values().stream()
        .sorted(Comparator.comparing((HasMetadata o) -> !ObjectKey.of(o).isBinding()).thenComparing(ObjectKey::of))
        .forEach(have -> pending.add(
            new Pending(new RbacChange(RbacChange.Type.DELETE, ObjectKey.of(have), List.of()), null, have)));
    return pending;
  }

  private Map<ObjectKey, HasMetadata> managedObjects() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.rbac().clusterRoles()
        .withLabel(RbacPlan.MANAGED_BY_LABEL, RbacPlan.MANAGED_BY).list().getItems());
    all.addAll(client.rbac().clusterRoleBindings()
        .withLabel(RbacPlan.MANAGED_BY_LABEL, RbacPlan.MANAGED_BY).list().getItems());
    all.addAll(client.rbac().roles().inAnyNamespace()
        .withLabel(RbacPlan.MANAGED_BY_LABEL, RbacPlan.MANAGED_BY).list().getItems());
    all.addAll(client.rbac().roleBindings().inAnyNamespace()
        .withLabel(RbacPlan.MANAGED_BY_LABEL, RbacPlan.MANAGED_BY).list().getItems());
    Map<ObjectKey, HasMetadata> byKey = new TreeMap<>();
    for (HasMetadata object : all) {
      // The label is checked again here: a list that ignored the selector must not lead to pruning.
      if (RbacPlan.MANAGED_BY.equals(labels(object).get(RbacPlan.MANAGED_BY_LABEL))) {
        byKey.put(ObjectKey.of(object), object);
      }
    }
    return byKey;
  }

  private void apply(Pending pending) {
    switch (pending.change().type()) {
      case CREATE -> client.resource(pending.desired()).create();
      case UPDATE -> update(pending.desired(), pending.existing());
      case DELETE -> client.resource(pending.existing()).delete();
      case CONFLICT -> { }
    }
  }

  /**
   * Writes kgate's part into the object as it is on the server, keeping labels and annotations
   * others added, and its resourceVersion, so a concurrent edit fails instead of being lost. A
   * binding's roleRef cannot be changed in place: such a binding is replaced.
   */
  private void update(HasMetadata desired, HasMetadata existing) {
    if (existing instanceof RoleBinding have && !have.getRoleRef().equals(((RoleBinding) desired).getRoleRef())
        || existing instanceof ClusterRoleBinding clusterHave
            && !clusterHave.getRoleRef().equals(((ClusterRoleBinding) desired).getRoleRef())) {
      client.resource(existing).delete();
      client.resource(desired).create();
      return;
    }
    Map<String, String> labels = new LinkedHashMap<>(labels(existing));
    labels.putAll(labels(desired));
    existing.getMetadata().setLabels(labels);
    Map<String, String> annotations = new LinkedHashMap<>(annotations(existing));
    annotations.keySet().removeAll(List.of(RbacPlan.ROLE_ANNOTATION, RbacPlan.RULES_ANNOTATION));
    annotations.putAll(annotations(desired));
    existing.getMetadata().setAnnotations(annotations);
    if (existing instanceof ClusterRole have) {
      have.setRules(((ClusterRole) desired).getRules());
    } else if (existing instanceof Role have) {
      have.setRules(((Role) desired).getRules());
    } else if (existing instanceof ClusterRoleBinding have) {
      have.setSubjects(((ClusterRoleBinding) desired).getSubjects());
    } else if (existing instanceof RoleBinding have) {
      have.setSubjects(((RoleBinding) desired).getSubjects());
    }
    client.resource(existing).update();
  }

  /**
   * What kgate writes into an object, one line per rule, roleRef and subject, plus the policy role
   * and rules it comes from. Two objects with equal lines are equal as far as sync is concerned.
   */
  static List<String> describe(HasMetadata object) {
    List<String> lines = new ArrayList<>();
    Map<String, String> annotations = annotations(object);
    String role = annotations.get(RbacPlan.ROLE_ANNOTATION);
    if (role != null) {
      String rules = annotations.get(RbacPlan.RULES_ANNOTATION);
      lines.add("from: policy role " + role + (rules == null ? "" : ", " + rules));
    }
    if (object instanceof ClusterRole clusterRole) {
      rulesOf(clusterRole.getRules(), lines);
    } else if (object instanceof Role namespaced) {
      rulesOf(namespaced.getRules(), lines);
    } else if (object instanceof ClusterRoleBinding binding) {
      bindingOf(binding.getRoleRef(), binding.getSubjects(), lines);
    } else if (object instanceof RoleBinding binding) {
      bindingOf(binding.getRoleRef(), binding.getSubjects(), lines);
    }
    return lines;
  }

  private static void rulesOf(List<PolicyRule> rules, List<String> lines) {
    if (rules != null) {
      rules.forEach(rule -> lines.add("rule: " + RbacDiff.rule(rule)));
    }
  }

  private static void bindingOf(RoleRef roleRef, List<Subject> subjects, List<String> lines) {
    lines.add("roleRef: " + (roleRef == null ? "none" : roleRef.getKind() + " " + roleRef.getName()));
    if (subjects != null) {
      for (Subject subject : subjects) {
        String namespace = subject.getNamespace() == null || subject.getNamespace().isEmpty()
            ? "" : subject.getNamespace() + "/";
        lines.add("subject: " + subject.getKind() + " " + namespace + subject.getName());
      }
    }
  }

  /** Lines only in {@code before} as {@code - …}, then lines only in {@code after} as {@code + …}. */
  private static List<String> lineDiff(List<String> before, List<String> after) {
    Set<String> kept = new LinkedHashSet<>(before);
    kept.retainAll(after);
    List<String> diff = new ArrayList<>();
    before.stream().filter(line -> !kept.contains(line)).forEach(line -> diff.add("- " + line));
    after.stream().filter(line -> !kept.contains(line)).forEach(line -> diff.add("+ " + line));
    if (diff.isEmpty()) {
      diff.add("the same lines in another order");
    }
    return diff;
  }

  private static Map<String, String> labels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? new HashMap<>() : labels;
  }

  private static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? new HashMap<>() : annotations;
  }
}
