package dev.kgate.sim.cluster;

import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A change to one object, as a watch stream reports it.
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param group API group of the object's resource
 * @param resource resource plural
 * @param namespace object namespace, or null when cluster-scoped
 * @param name object name
 * @param labels object labels
 * @param object the object after the change (before it, for DELETED)
 * @param resourceVersion the change's resource version
 */
record WatchEvent(
    String type,
    String group,
    String resource,
    String namespace,
    String name,
    Map<String, String> labels,
    JsonNode object,
    long resourceVersion) {

  WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
    labels = Map.copyOf(labels);
  }
}
