package dev.kgate.sim.cluster;

import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code scale} subresource of deployments, replica sets and stateful sets, which the mock
 * does not have: an {@code autoscaling/v1 Scale} view of the object's replicas ({@code kubectl
 * scale} reads and patches it). A change is written back to the parent as if its controller had
 * already caught up, so {@code status} shows the new replica count at once.
 */
final class ScaleSubresource {

  private ScaleSubresource() {}

  static boolean applies(ResourcePath path) {
    return "scale".equals(path.subresource()) && path.group().equals("apps")
        && (path.resource().equals("deployments") || path.resource().equals("replicasets")
            || path.resource().equals("statefulsets"));
  }

  /** The Scale of a parent object. */
  static ObjectNode toScale(JsonNode parent) {
    ObjectNode scale = Json.object();
    scale.put("kind", "Scale");
    scale.put("apiVersion", "autoscaling/v1");
    ObjectNode metadata = scale.putObject("metadata");
    for (String field : new String[] {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
      if (parent.path("metadata").has(field)) {
        metadata.set(field, parent.path("metadata").get(field));
      }
    }
    scale.putObject("spec").put("replicas", parent.path("spec").path("replicas").asInt(1));
    ObjectNode status = scale.putObject("status");
    status.put("replicas", parent.path("status").path("replicas").asInt(0));
    StringJoiner selector = new StringJoiner(",");
    for (Map.Entry<String, JsonNode> label : parent.path("spec").path("selector").path("matchLabels").properties()) {
      selector.add(label.getKey() + "=" + label.getValue().stringValue(""));
    }
    status.put("selector", selector.toString());
    return scale;
  }

  /**
   * The replica count a PUT or PATCH of the Scale asks for, or -1 when the body does not say.
   */
  static int requestedReplicas(String method, String contentType, byte[] body, JsonNode currentScale) {
    JsonNode request = Json.parseOrNull(body);
    if (request == null) {
      return -1;
    }
    JsonNode updated;
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (method.equals("PUT")) {
      updated = request;
    } else if (type.startsWith(ClusterStore.JSON_PATCH)) {
      updated = JsonPatch.apply(request, currentScale);
    } else {
      updated = MergePatch.apply(currentScale, request);
    }
    JsonNode replicas = updated.path("spec").path("replicas");
    return replicas.isNumber() ? replicas.intValue() : -1;
  }

  /** The JSON patch that sets the parent's replicas, and its status as a settled controller would. */
  static JsonNode parentPatch(int replicas) {
    ObjectNode spec = Json.object();
    spec.put("op", "add");
    spec.put("path", "/spec/replicas");
    spec.put("value", replicas);
    var patch = Json.MAPPER.createArrayNode().add(spec);
    for (String field : new String[] {"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"}) {
      ObjectNode op = Json.object();
      op.put("op", "add");
      op.put("path", "/status/" + field);
      op.put("value", replicas);
      patch.add(op);
    }
    return patch;
  }
}
