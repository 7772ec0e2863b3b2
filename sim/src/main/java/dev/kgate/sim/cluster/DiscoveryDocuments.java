package dev.kgate.sim.cluster;

import dev.kgate.sim.cluster.ApiResourceType.Subresource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The discovery documents kubectl reads before anything else, which the fabric8 mock does not
 * serve: aggregated discovery for {@code /api} and {@code /apis} (what kubectl 1.32 asks for
 * first), the older APIVersions / APIGroupList / APIResourceList shapes, and {@code /version}.
 */
final class DiscoveryDocuments {

  static final String AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
  static final String AGGREGATED_V2BETA1 =
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
  static final String SERVER_VERSION = "v1.32.5";

  private final ApiCatalog catalog;

  DiscoveryDocuments(ApiCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /**
   * The aggregated-discovery content type the Accept header prefers (v2 or v2beta1), or empty when
   * it only accepts the older documents.
   */
  static Optional<String> aggregatedContentType(String accept) {
    if (accept == null) {
      return Optional.empty();
    }
    for (String range : accept.split(",")) {
      String r = range.replace(" ", "");
      if (r.contains("as=APIGroupDiscoveryList") && r.contains("g=apidiscovery.k8s.io")) {
        if (r.contains("v=v2beta1")) {
          return Optional.of(AGGREGATED_V2BETA1);
        }
        if (r.contains("v=v2")) {
          return Optional.of(AGGREGATED_V2);
        }
      } else if (r.startsWith("application/json") || r.startsWith("*/*")) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** {@code /api} or {@code /apis} as an APIGroupDiscoveryList of the given content type. */
  ObjectNode aggregated(boolean core, String contentType) {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupDiscoveryList");
    list.put("apiVersion", contentType.equals(AGGREGATED_V2BETA1) ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2");
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    for (Map.Entry<String, Map<String, List<ApiResourceType>>> group : catalog.byGroupAndVersion().entrySet()) {
      if (group.getKey().isEmpty() != core) {
        continue;
      }
      ObjectNode item = items.addObject();
      ObjectNode metadata = item.putObject("metadata");
      if (!core) {
        metadata.put("name", group.getKey());
      }
      metadata.putNull("creationTimestamp");
      ArrayNode versions = item.putArray("versions");
      for (Map.Entry<String, List<ApiResourceType>> version : group.getValue().entrySet()) {
        ObjectNode v = versions.addObject();
        v.put("version", version.getKey());
        ArrayNode resources = v.putArray("resources");
        for (ApiResourceType type : version.getValue()) {
          resources.add(aggregatedResource(type));
        }
        v.put("freshness", "Current");
      }
    }
    return list;
  }

  private static ObjectNode aggregatedResource(ApiResourceType type) {
    ObjectNode r = Json.object();
    r.put("resource", type.plural());
    r.set("responseKind", kind(type.group(), type.version(), type.kind()));
    r.put("scope", type.namespaced() ? "Namespaced" : "Cluster");
    r.put("singularResource", type.singular());
    strings(r.putArray("verbs"), type.verbs());
    if (!type.shortNames().isEmpty()) {
      strings(r.putArray("shortNames"), type.shortNames());
    }
    if (!type.categories().isEmpty()) {
      strings(r.putArray("categories"), type.categories());
    }
    if (!type.subresources().isEmpty()) {
      ArrayNode subs = r.putArray("subresources");
      for (Subresource s : type.subresources()) {
        ObjectNode sub = subs.addObject();
        sub.put("subresource", s.name());
        sub.set("responseKind", kind(s.group(), s.version(), s.kind()));
        strings(sub.putArray("verbs"), s.verbs());
      }
    }
    return r;
  }

  /** {@code /api} as APIVersions. */
  ObjectNode apiVersions(String serverAddress) {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIVersions");
    doc.putArray("versions").add("v1");
    ObjectNode address = doc.putArray("serverAddressByClientCIDRs").addObject();
    address.put("clientCIDR", "0.0.0.0/0");
    address.put("serverAddress", serverAddress);
    return doc;
  }

  /** {@code /apis} as APIGroupList. */
  ObjectNode apiGroupList() {
    ObjectNode doc = Json.object();
    doc.put("kind", "APIGroupList");
    doc.put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    for (Map.Entry<String, Map<String, List<ApiResourceType>>> group : catalog.byGroupAndVersion().entrySet()) {
      if (group.getKey().isEmpty()) {
        continue;
      }
      ObjectNode g = groups.addObject();
      g.put("name", group.getKey());
      ArrayNode versions = g.putArray("versions");
      String preferred = null;
      for (String version : group.getValue().keySet()) {
        ObjectNode v = versions.addObject();
        v.put("groupVersion", group.getKey() + "/" + version);
        v.put("version", version);
        preferred = preferred == null ? version : preferred;
      }
      ObjectNode p = g.putObject("preferredVersion");
      p.put("groupVersion", group.getKey() + "/" + preferred);
      p.put("version", preferred);
    }
    return doc;
  }

  /** {@code /api/v1} or {@code /apis/<group>/<version>} as APIResourceList; empty if unknown. */
  Optional<ObjectNode> resourceList(String group, String version) {
    List<ApiResourceType> types = catalog.byGroupAndVersion().getOrDefault(group, Map.of()).get(version);
    if (types == null) {
      return Optional.empty();
    }
    ObjectNode doc = Json.object();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = doc.putArray("resources");
    for (ApiResourceType type : types) {
      ObjectNode r = resources.addObject();
      r.put("name", type.plural());
      r.put("singularName", type.singular());
      r.put("namespaced", type.namespaced());
      r.put("kind", type.kind());
      strings(r.putArray("verbs"), type.verbs());
      if (!type.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), type.shortNames());
      }
      if (!type.categories().isEmpty()) {
        strings(r.putArray("categories"), type.categories());
      }
      for (Subresource s : type.subresources()) {
        ObjectNode sub = resources.addObject();
        sub.put("name", type.plural() + "/" + s.name());
        sub.put("singularName", "");
        sub.put("namespaced", type.namespaced());
        if (!s.group().equals(type.group())) {
          sub.put("group", s.group());
          sub.put("version", s.version());
        }
        sub.put("kind", s.kind());
        strings(sub.putArray("verbs"), s.verbs());
      }
    }
    return Optional.of(doc);
  }

  /** {@code /version}. */
  static ObjectNode version() {
    ObjectNode doc = Json.object();
    doc.put("major", "1");
    doc.put("minor", "32");
    doc.put("gitVersion", SERVER_VERSION);
    doc.put("gitCommit", "kgate-sim");
    doc.put("gitTreeState", "clean");
    doc.put("buildDate", "2025-05-15T00:00:00Z");
    doc.put("goVersion", "go1.23.8");
    doc.put("compiler", "gc");
    doc.put("platform", "linux/amd64");
    return doc;
  }

  private static ObjectNode kind(String group, String version, String kind) {
    ObjectNode k = Json.object();
    k.put("group", group);
    k.put("version", version);
    k.put("kind", kind);
    return k;
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
