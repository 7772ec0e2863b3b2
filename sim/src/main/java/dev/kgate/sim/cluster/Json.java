package dev.kgate.sim.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** JSON helpers shared by the simulated API server; the mapper is immutable and thread-safe. */
final class Json {

  static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }

  /** Parses {@code body}; null when it is empty or not JSON. */
  static JsonNode parseOrNull(byte[] body) {
    if (body == null || body.length == 0) {
      return null;
    }
    try {
      return MAPPER.readTree(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The string at {@code node.path(a).path(b)…}, or "" when absent or not a string. */
  static String text(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      n = n.path(p);
    }
    return n.isString() ? n.stringValue() : "";
  }

  /** The object's {@code metadata.labels} as a map. */
  static Map<String, String> labels(JsonNode object) {
    Map<String, String> labels = new LinkedHashMap<>();
    object.path("metadata").path("labels").properties()
        .forEach(e -> labels.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : ""));
    return labels;
  }

  /** The object's {@code metadata.resourceVersion} as a number, or 0. */
  static long resourceVersion(JsonNode object) {
    try {
      return Long.parseLong(text(object, "metadata", "resourceVersion"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
