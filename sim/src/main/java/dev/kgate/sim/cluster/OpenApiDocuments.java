package dev.kgate.sim.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v3 documents, just enough for kubectl 1.32's {@code apply}, {@code create} and
 * {@code replace}: kubectl looks up the PATCH operation of each kind (by its
 * {@code x-kubernetes-group-version-kind} extension) and, when that operation takes a
 * {@code fieldValidation} query parameter, leaves validation to the server instead of validating
 * against schemas itself. No component schemas are published, so kubectl computes strategic merge
 * patches from its compiled-in types, which are exact for the built-in kinds. {@code /openapi/v2}
 * is not served (kubectl tolerates its absence).
 */
final class OpenApiDocuments {

  private final Map<String, byte[]> groupVersionDocs = new LinkedHashMap<>();
  private final byte[] root;

  OpenApiDocuments(ApiCatalog catalog) {
    ObjectNode rootDoc = Json.object();
    ObjectNode paths = rootDoc.putObject("paths");
    catalog.byGroupAndVersion().forEach((group, versions) -> versions.forEach((version, types) -> {
      String key = group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
      byte[] doc = Json.bytes(groupVersionDoc(types));
      groupVersionDocs.put(key, doc);
      paths.putObject(key).put("serverRelativeURL", "/openapi/v3/" + key + "?hash=" + sha512(doc));
    }));
    root = Json.bytes(rootDoc);
  }

  byte[] root() {
    return root;
  }

  /** The document of {@code api/v1} or {@code apis/<group>/<version>}. */
  Optional<byte[]> groupVersion(String key) {
    return Optional.ofNullable(groupVersionDocs.get(key));
  }

  private static ObjectNode groupVersionDoc(List<ApiResourceType> types) {
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", DiscoveryDocuments.SERVER_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (ApiResourceType type : types) {
      if (!type.verbs().contains("patch")) {
        continue;
      }
      String itemPath = type.groupVersionPath()
          + (type.namespaced() ? "/namespaces/{namespace}/" : "/") + type.plural() + "/{name}";
      ObjectNode item = paths.putObject(itemPath);
      ObjectNode patch = item.putObject("patch");
      patch.put("operationId", "patch" + operationSuffix(type));
      ArrayNode parameters = patch.putArray("parameters");
      for (String query : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
        ObjectNode p = parameters.addObject();
        p.put("name", query);
        p.put("in", "query");
        p.putObject("schema").put("type", query.equals("force") ? "boolean" : "string");
      }
      ObjectNode responses = patch.putObject("responses");
      responses.putObject("200").put("description", "OK");
      patch.put("x-kubernetes-action", "patch");
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", type.group());
      gvk.put("version", type.version());
      gvk.put("kind", type.kind());
    }
    doc.putObject("components").putObject("schemas");
    return doc;
  }

  private static String operationSuffix(ApiResourceType type) {
    String group = type.group().isEmpty() ? "Core" : capitalize(type.group().split("\\.")[0]);
    return group + capitalize(type.version()) + (type.namespaced() ? "Namespaced" : "") + type.kind();
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }

  private static String sha512(byte[] doc) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(doc));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
