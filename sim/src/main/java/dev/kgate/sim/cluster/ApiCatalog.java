package dev.kgate.sim.cluster;

import dev.kgate.sim.cluster.ApiResourceType.Subresource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resource types the simulated cluster announces in discovery and OpenAPI, in the order a
 * real API server lists them. The fabric8 mock stores any type; this catalog is what kubectl is
 * told exists, so it decides which {@code kubectl get <type>} commands resolve.
 */
final class ApiCatalog {

  private static final List<String> READ = List.of("get");
  private static final List<String> GET_PATCH_UPDATE = List.of("get", "patch", "update");
  private static final List<String> CREATE = List.of("create");
  private static final List<String> NAMESPACE_VERBS = List.of("create", "delete", "get", "list", "patch", "update", "watch");

  private final List<ApiResourceType> types;

  private ApiCatalog(List<ApiResourceType> types) {
    this.types = List.copyOf(types);
  }

  /** The built-in types of a small Kubernetes 1.32 cluster. */
  static ApiCatalog standard() {
    List<ApiResourceType> t = new ArrayList<>();
    t.add(type("", "v1", "pods", "Pod", true, List.of("po"), List.of("all"),
        status("", "v1", "Pod"),
        new Subresource("log", "", "v1", "Pod", READ),
        new Subresource("exec", "", "v1", "PodExecOptions", List.of("create", "get")),
        new Subresource("attach", "", "v1", "PodAttachOptions", List.of("create", "get")),
        new Subresource("portforward", "", "v1", "PodPortForwardOptions", List.of("create", "get")),
        new Subresource("ephemeralcontainers", "", "v1", "Pod", GET_PATCH_UPDATE)));
    t.add(new ApiResourceType("", "v1", "namespaces", "namespace", "Namespace", false, NAMESPACE_VERBS,
        List.of("ns"), List.of(), List.of(status("", "v1", "Namespace"),
            new Subresource("finalize", "", "v1", "Namespace", List.of("update")))));
    t.add(type("", "v1", "services", "Service", true, List.of("svc"), List.of("all"), status("", "v1", "Service")));
    t.add(type("", "v1", "configmaps", "ConfigMap", true, List.of("cm"), List.of()));
    t.add(type("", "v1", "secrets", "Secret", true, List.of(), List.of()));
    t.add(type("", "v1", "serviceaccounts", "ServiceAccount", true, List.of("sa"), List.of()));
    t.add(type("", "v1", "events", "Event", true, List.of("ev"), List.of()));
    t.add(type("", "v1", "endpoints", "Endpoints", true, List.of("ep"), List.of()));
    t.add(type("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"), List.of(),
        status("", "v1", "PersistentVolumeClaim")));
    t.add(type("", "v1", "nodes", "Node", false, List.of("no"), List.of(), status("", "v1", "Node")));
    t.add(type("", "v1", "persistentvolumes", "PersistentVolume", false, List.of("pv"), List.of(),
        status("", "v1", "PersistentVolume")));
    t.add(type("apps", "v1", "deployments", "Deployment", true, List.of("deploy"), List.of("all"),
        scale(), status("apps", "v1", "Deployment")));
    t.add(type("apps", "v1", "replicasets", "ReplicaSet", true, List.of("rs"), List.of("all"),
        scale(), status("apps", "v1", "ReplicaSet")));
    t.add(type("apps", "v1", "statefulsets", "StatefulSet", true, List.of("sts"), List.of("all"),
        scale(), status("apps", "v1", "StatefulSet")));
    t.add(type("apps", "v1", "daemonsets", "DaemonSet", true, List.of("ds"), List.of("all"),
        status("apps", "v1", "DaemonSet")));
    t.add(type("batch", "v1", "jobs", "Job", true, List.of(), List.of("all"), status("batch", "v1", "Job")));
    t.add(type("batch", "v1", "cronjobs", "CronJob", true, List.of("cj"), List.of("all"),
        status("batch", "v1", "CronJob")));
    String rbac = "rbac.authorization.k8s.io";
    t.add(type(rbac, "v1", "roles", "Role", true, List.of(), List.of()));
    t.add(type(rbac, "v1", "rolebindings", "RoleBinding", true, List.of(), List.of()));
    t.add(type(rbac, "v1", "clusterroles", "ClusterRole", false, List.of(), List.of()));
    t.add(type(rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", false, List.of(), List.of()));
    t.add(new ApiResourceType("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview",
        "SelfSubjectReview", false, CREATE, List.of(), List.of(), List.of()));
    return new ApiCatalog(t);
  }

  private static ApiResourceType type(
      String group, String version, String plural, String kind, boolean namespaced,
      List<String> shortNames, List<String> categories, Subresource... subresources) {
    return new ApiResourceType(group, version, plural, kind.toLowerCase(java.util.Locale.ROOT), kind, namespaced,
        ApiResourceType.ALL_VERBS, shortNames, categories, List.of(subresources));
  }

  private static Subresource status(String group, String version, String kind) {
    return new Subresource("status", group, version, kind, GET_PATCH_UPDATE);
  }

  private static Subresource scale() {
    return new Subresource("scale", "autoscaling", "v1", "Scale", GET_PATCH_UPDATE);
  }

  List<ApiResourceType> types() {
    return types;
  }

  /** Types grouped by group name, in catalog order; the core group is "". */
  Map<String, Map<String, List<ApiResourceType>>> byGroupAndVersion() {
    Map<String, Map<String, List<ApiResourceType>>> groups = new LinkedHashMap<>();
    for (ApiResourceType type : types) {
      groups.computeIfAbsent(type.group(), g -> new LinkedHashMap<>())
          .computeIfAbsent(type.version(), v -> new ArrayList<>())
          .add(type);
    }
    return groups;
  }

  Optional<ApiResourceType> find(String group, String version, String plural) {
    return types.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
        .findFirst();
  }
}
