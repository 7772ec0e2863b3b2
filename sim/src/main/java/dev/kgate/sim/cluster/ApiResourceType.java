package dev.kgate.sim.cluster;

import java.util.List;
import java.util.Objects;

/**
 * One resource type the simulated API server serves, with what discovery documents say about it.
 *
 * @param group API group ("" for core)
 * @param version API version
 * @param plural resource name in paths, e.g. {@code pods}
 * @param singular singular name, e.g. {@code pod}
 * @param kind object kind, e.g. {@code Pod}
 * @param namespaced whether objects live in a namespace
 * @param verbs verbs the resource supports
 * @param shortNames kubectl short names
 * @param categories categories such as {@code all}
 * @param subresources subresources, e.g. {@code log}, {@code exec}
 */
record ApiResourceType(
    String group,
    String version,
    String plural,
    String singular,
    String kind,
    boolean namespaced,
    List<String> verbs,
    List<String> shortNames,
    List<String> categories,
    List<Subresource> subresources) {

  static final List<String> ALL_VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  ApiResourceType {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(plural, "plural");
    Objects.requireNonNull(singular, "singular");
    Objects.requireNonNull(kind, "kind");
    verbs = List.copyOf(verbs);
    shortNames = List.copyOf(shortNames);
    categories = List.copyOf(categories);
    subresources = List.copyOf(subresources);
  }

  /** {@code group/version}, or just {@code version} for the core group. */
  String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The path prefix of this type's group-version: {@code /api/v1} or {@code /apis/apps/v1}. */
  String groupVersionPath() {
    return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
  }

  /**
   * A subresource of a resource type.
   *
   * @param name e.g. {@code status}
   * @param group group of the kind it returns
   * @param version version of the kind it returns
   * @param kind kind it returns
   * @param verbs verbs it supports
   */
  record Subresource(String name, String group, String version, String kind, List<String> verbs) {
    Subresource {
      verbs = List.copyOf(verbs);
    }
  }
}
