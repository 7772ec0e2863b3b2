package dev.kgate.cli.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Comparator;
import java.util.Objects;

/**
 * Which RBAC object: kind, namespace (empty for cluster-scoped kinds) and name. Printed as the diff
 * names it: {@code ClusterRole kgate:sre}, {@code RoleBinding payments/kgate:sre}.
 */
public record ObjectKey(String kind, String namespace, String name) implements Comparable<ObjectKey> {

  private static final Comparator<ObjectKey> ORDER =
      Comparator.comparing(ObjectKey::name)
          .thenComparing(ObjectKey::namespace)
          .thenComparing(key -> kindOrder(key.kind()));

  public ObjectKey {
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
  }

  static ObjectKey of(HasMetadata object) {
    return new ObjectKey(object.getKind(), object.getMetadata().getNamespace(), object.getMetadata().getName());
  }

  boolean isBinding() {
    return kind.endsWith("Binding");
  }

  /** For a binding, the key of the role kgate pairs it with (same namespace and name). */
  ObjectKey roleOfBinding() {
    return new ObjectKey(kind.substring(0, kind.length() - "Binding".length()), namespace, name);
  }

  @Override
  public int compareTo(ObjectKey other) {
    return ORDER.compare(this, other);
  }

  @Override
  public String toString() {
    return kind + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
  }

  // A role before the binding that refers to it, cluster-wide objects before namespaced ones.
  private static int kindOrder(String kind) {
    return switch (kind) {
      case "ClusterRole" -> 0;
      case "ClusterRoleBinding" -> 1;
      case "Role" -> 2;
      case "RoleBinding" -> 3;
      default -> 4;
    };
  }
}
