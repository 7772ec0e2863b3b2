package dev.kgate.cli.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints what {@link RbacSync} changed, or would change, on one cluster: a line per object,
 * {@code + ClusterRole kgate:sre}, {@code ~ RoleBinding payments/kgate:sre},
 * {@code - Role dev-1/kgate:old}, {@code ! ClusterRole kgate:ops} for a name taken by an object
 * kgate does not manage, each followed by indented detail lines, and a closing count.
 */
public final class RbacDiff {

  private static final String INDENT = "    ";

  private RbacDiff() {}

  /** The diff lines for {@code changes}, without the closing count. */
  public static List<String> lines(List<RbacChange> changes) {
    List<String> lines = new ArrayList<>();
    for (RbacChange change : changes) {
      lines.add(change.type().symbol() + " " + change.key());
      change.details().forEach(detail -> lines.add(INDENT + detail));
    }
    return lines;
  }

  /**
   * One line that closes a cluster's diff: {@code cluster prod-eu: 3 created, 1 updated, 0 deleted},
   * {@code cluster prod-eu (dry run): would create 3, update 1, delete 0}, or
   * {@code cluster prod-eu: up to date}; conflicts are counted when there are any.
   */
  public static String summary(String cluster, List<RbacChange> changes, boolean dryRun) {
    long created = count(changes, RbacChange.Type.CREATE);
    long updated = count(changes, RbacChange.Type.UPDATE);
    long deleted = count(changes, RbacChange.Type.DELETE);
    long conflicts = count(changes, RbacChange.Type.CONFLICT);
    String conflicted = conflicts == 0 ? "" : ", " + conflicts + (conflicts == 1 ? " conflict" : " conflicts");
    if (changes.isEmpty()) {
      return "cluster " + cluster + (dryRun ? " (dry run)" : "") + ": up to date";
    }
    if (dryRun) {
      return "cluster " + cluster + " (dry run): would create " + created + ", update " + updated
          + ", delete " + deleted + conflicted;
    }
    return "cluster " + cluster + ": " + created + " created, " + updated + " updated, " + deleted + " deleted"
        + conflicted;
  }

  /**
   * A PolicyRule on one line, empty fields left out and the core group shown as {@code ""}:
   * {@code [get, list] apiGroups ["", apps] resources [pods, deployments] resourceNames [web]}.
   */
  static String rule(PolicyRule rule) {
    StringBuilder line = new StringBuilder(list(rule.getVerbs()));
    field(line, "apiGroups", rule.getApiGroups());
    field(line, "resources", rule.getResources());
    field(line, "resourceNames", rule.getResourceNames());
    field(line, "nonResourceURLs", rule.getNonResourceURLs());
    return line.toString();
  }

  private static void field(StringBuilder line, String name, List<String> values) {
    if (values != null && !values.isEmpty()) {
      line.append(' ').append(name).append(' ').append(list(values));
    }
  }

  private static String list(List<String> values) {
    if (values == null) {
      return "[]";
    }
    return values.stream().map(value -> value.isEmpty() ? "\"\"" : value).collect(Collectors.joining(", ", "[", "]"));
  }

  private static long count(List<RbacChange> changes, RbacChange.Type type) {
    return changes.stream().filter(change -> change.type() == type).count();
  }
}
