package dev.kgate.sim.cluster;

import java.util.Arrays;
import java.util.Optional;

/**
 * A Kubernetes resource path taken apart the way the API server's request-info resolver does:
 * {@code /api/v1/namespaces/payments/pods/web/log} is group "", version v1, namespace payments,
 * resource pods, name web, subresource log. Namespace objects themselves are cluster-scoped here
 * ({@code namespace} is null for {@code /api/v1/namespaces/x}).
 *
 * @param group API group, "" for core
 * @param version API version
 * @param namespace namespace, or null for cluster-scoped and all-namespace requests
 * @param resource resource plural
 * @param name object name, or null for collections
 * @param subresource subresource, or null
 * @param legacyWatch whether the path used the legacy {@code /watch/} prefix
 */
record ResourcePath(
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource,
    boolean legacyWatch) {

  /** Parses a path without its query; empty when it is not a resource path. */
  static Optional<ResourcePath> parse(String path) {
    String[] all = path.split("/", -1);
    if (all.length < 2 || !all[0].isEmpty()) {
      return Optional.empty();
    }
    String[] s = Arrays.copyOfRange(all, 1, all.length);
    if (s.length > 0 && s[s.length - 1].isEmpty()) {
      s = Arrays.copyOf(s, s.length - 1);
    }
    String group;
    String[] rest;
    if (s.length >= 3 && s[0].equals("api")) {
      group = "";
      rest = Arrays.copyOfRange(s, 2, s.length);
    } else if (s.length >= 4 && s[0].equals("apis")) {
      group = s[1];
      rest = Arrays.copyOfRange(s, 3, s.length);
    } else {
      return Optional.empty();
    }
    String version = group.isEmpty() ? s[1] : s[2];
    boolean legacyWatch = false;
    if (rest[0].equals("watch")) {
      legacyWatch = true;
      rest = Arrays.copyOfRange(rest, 1, rest.length);
      if (rest.length == 0) {
        return Optional.empty();
      }
    }
    for (String segment : rest) {
      if (segment.isEmpty()) {
        return Optional.empty();
      }
    }
    String namespace = null;
    if (rest[0].equals("namespaces") && rest.length >= 3
        && !(rest.length == 3 && (rest[2].equals("status") || rest[2].equals("finalize")))) {
      namespace = rest[1];
      rest = Arrays.copyOfRange(rest, 2, rest.length);
    }
    String resource = rest[0];
    String name = rest.length > 1 ? rest[1] : null;
    String subresource = rest.length > 2 ? rest[2] : null;
    return Optional.of(new ResourcePath(group, version, namespace, resource, name, subresource, legacyWatch));
  }

  /** The collection path of this resource, e.g. {@code /api/v1/namespaces/payments/pods}. */
  String collectionPath() {
    StringBuilder b = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
    if (namespace != null) {
      b.append("/namespaces/").append(namespace);
    }
    return b.append('/').append(resource).toString();
  }

  /** The path of the named object, without subresource. */
  String objectPath() {
    return collectionPath() + "/" + name;
  }
}
