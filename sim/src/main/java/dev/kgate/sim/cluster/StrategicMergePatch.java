package dev.kgate.sim.cluster;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Strategic merge patch, as far as kubectl's {@code apply} of built-in types needs it. The fabric8
 * mock answers 415 to strategic merge, so the store applies the patch here and sends the mock the
 * exact difference as a JSON patch (see {@link ClusterStore}).
 *
 * <p>Supported: maps merged recursively, {@code null} deletes, object lists merged by the merge
 * keys of the core and apps types ({@code containers} by name, container {@code ports} by
 * containerPort, {@code volumeMounts} by mountPath…), {@code $patch: replace|delete},
 * {@code $setElementOrder/…}, {@code $deleteFromPrimitiveList/…}, {@code $retainKeys}, and
 * {@code finalizers} merged as a set. Other lists are replaced, as their schema says.
 */
final class StrategicMergePatch {

  private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
      Map.entry("containers", "name"),
      Map.entry("initContainers", "name"),
      Map.entry("ephemeralContainers", "name"),
      Map.entry("env", "name"),
      Map.entry("volumeMounts", "mountPath"),
      Map.entry("volumeDevices", "devicePath"),
      Map.entry("volumes", "name"),
      Map.entry("imagePullSecrets", "name"),
      Map.entry("hostAliases", "ip"),
      Map.entry("conditions", "type"),
      Map.entry("ownerReferences", "uid"),
      Map.entry("topologySpreadConstraints", "topologyKey"),
      Map.entry("resourceClaims", "name"),
      Map.entry("schedulingGates", "name"));

  private static final Set<String> SET_LISTS = Set.of("finalizers");

  private static final String DIRECTIVE = "$patch";
  private static final String ORDER_PREFIX = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE_PREFIX = "$deleteFromPrimitiveList/";
  private static final String RETAIN_KEYS = "$retainKeys";

  private StrategicMergePatch() {}

  /** Applies a strategic merge patch; null when the patch deletes the whole value. */
  static JsonNode apply(JsonNode original, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch == null ? original : patch.deepCopy();
    }
    String directive = patch.path(DIRECTIVE).stringValue(null);
    if ("delete".equals(directive)) {
      return null;
    }
    ObjectNode result = original != null && original.isObject() && !"replace".equals(directive)
        ? (ObjectNode) original.deepCopy()
        : Json.object();
    JsonNode retain = patch.get(RETAIN_KEYS);
    if (retain != null && retain.isArray()) {
      List<String> keep = new ArrayList<>();
      retain.forEach(k -> keep.add(k.stringValue("")));
      result.retain(keep);
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.startsWith(DELETE_PRIMITIVE_PREFIX)) {
        deleteFromPrimitiveList(result, name.substring(DELETE_PRIMITIVE_PREFIX.length()), value);
      } else if (name.startsWith("$")) {
        continue;
      } else if (value.isNull()) {
        result.remove(name);
      } else if (value.isObject()) {
        JsonNode child = apply(result.get(name), value);
        if (child == null) {
          result.remove(name);
        } else {
          result.set(name, child);
        }
      } else if (value.isArray()) {
        result.set(name, mergeList(name, result.get(name), (ArrayNode) value));
      } else {
        result.set(name, value.deepCopy());
      }
    }
    for (Map.Entry<String, JsonNode> field : patch.properties()) {
      if (field.getKey().startsWith(ORDER_PREFIX) && field.getValue().isArray()) {
        String list = field.getKey().substring(ORDER_PREFIX.length());
        JsonNode items = result.get(list);
        if (items != null && items.isArray()) {
          result.set(list, reorder(list, (ArrayNode) items, (ArrayNode) field.getValue()));
        }
      }
    }
    return result;
  }

  private static ArrayNode mergeList(String field, JsonNode current, ArrayNode patch) {
    String key = mergeKey(field, patch, current);
    if (key == null) {
      if (SET_LISTS.contains(field) && current != null && current.isArray()) {
        ArrayNode union = (ArrayNode) current.deepCopy();
        patch.forEach(v -> {
          if (!contains(union, v)) {
            union.add(v.deepCopy());
          }
        });
        return union;
      }
      return withoutDirectives(patch);
    }
    boolean replace = false;
    for (JsonNode element : patch) {
      if (element.isObject() && "replace".equals(element.path(DIRECTIVE).stringValue(null))) {
        replace = true;
      }
    }
    ArrayNode result = !replace && current != null && current.isArray()
        ? (ArrayNode) current.deepCopy()
        : Json.MAPPER.createArrayNode();
    for (JsonNode element : patch) {
      if (!element.isObject() || element.size() == 1 && element.has(DIRECTIVE)) {
        continue;
      }
      int index = indexOf(result, key, element.get(key));
      if ("delete".equals(element.path(DIRECTIVE).stringValue(null))) {
        if (index >= 0) {
          result.remove(index);
        }
      } else if (index >= 0) {
        result.set(index, apply(result.get(index), element));
      } else {
        result.add(apply(null, element));
      }
    }
    return result;
  }

  private static String mergeKey(String field, JsonNode patch, JsonNode current) {
    if (field.equals("ports")) {
      // Container ports merge by containerPort, service ports by port.
      JsonNode sample = patch.size() > 0 ? patch.get(0) : current != null && current.size() > 0 ? current.get(0) : null;
      if (sample != null && sample.isObject()) {
        return sample.has("containerPort") ? "containerPort" : "port";
      }
      return null;
    }
    return MERGE_KEYS.get(field);
  }

  private static ArrayNode reorder(String field, ArrayNode items, ArrayNode order) {
    String key = mergeKey(field, order, items);
    ArrayNode sorted = Json.MAPPER.createArrayNode();
    List<JsonNode> rest = new ArrayList<>();
    items.forEach(rest::add);
    for (JsonNode wanted : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode item = it.next();
        boolean same = key == null ? item.equals(wanted) : item.path(key).equals(wanted.path(key));
        if (same) {
          sorted.add(item);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(sorted::add);
    return sorted;
  }

  private static void deleteFromPrimitiveList(ObjectNode result, String field, JsonNode values) {
    JsonNode list = result.get(field);
    if (list == null || !list.isArray() || !values.isArray()) {
      return;
    }
    ArrayNode kept = Json.MAPPER.createArrayNode();
    list.forEach(v -> {
      if (!contains(values, v)) {
        kept.add(v);
      }
    });
    result.set(field, kept);
  }

  private static ArrayNode withoutDirectives(ArrayNode patch) {
    ArrayNode copy = Json.MAPPER.createArrayNode();
    for (JsonNode element : patch) {
      if (element.isObject() && element.has(DIRECTIVE)) {
        continue;
      }
      copy.add(element.isObject() ? apply(null, element) : element.deepCopy());
    }
    return copy;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (value != null && list.get(i).path(key).equals(value)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(JsonNode list, JsonNode value) {
    for (JsonNode v : list) {
      if (v.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
