package dev.kgate.sim.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which events a watch wants: one resource, optionally one namespace, one name
 * ({@code fieldSelector=metadata.name=X}) and equality-based label requirements.
 *
 * @param group API group
 * @param resource resource plural
 * @param namespace namespace, or null for all
 * @param name object name, or null for all
 * @param labelRequirements label requirements ({@code k=v}, {@code k!=v}, {@code k}, {@code !k})
 */
record WatchFilter(String group, String resource, String namespace, String name, List<String> labelRequirements) {

  WatchFilter {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(resource, "resource");
    labelRequirements = List.copyOf(labelRequirements);
  }

  static WatchFilter of(ResourcePath path, String fieldSelector, String labelSelector) {
    String name = path.name();
    String namespace = path.namespace();
    if (fieldSelector != null) {
      for (String requirement : fieldSelector.split(",")) {
        String[] kv = requirement.split("==?", 2);
        if (kv.length == 2 && kv[0].trim().equals("metadata.name")) {
          name = kv[1].trim();
        } else if (kv.length == 2 && kv[0].trim().equals("metadata.namespace")) {
          namespace = kv[1].trim();
        }
      }
    }
    List<String> labels = new ArrayList<>();
    if (labelSelector != null && !labelSelector.isBlank()) {
      for (String requirement : labelSelector.split(",")) {
        labels.add(requirement.trim());
      }
    }
    return new WatchFilter(path.group(), path.resource(), namespace, name, labels);
  }

  boolean matches(WatchEvent event) {
    return group.equals(event.group())
        && resource.equals(event.resource())
        && (namespace == null || namespace.equals(event.namespace()))
        && (name == null || name.equals(event.name()))
        && labelsMatch(event.labels());
  }

  private boolean labelsMatch(Map<String, String> labels) {
    for (String requirement : labelRequirements) {
      if (requirement.startsWith("!")) {
        if (labels.containsKey(requirement.substring(1))) {
          return false;
        }
      } else if (requirement.contains("!=")) {
        String[] kv = requirement.split("!=", 2);
        if (kv[1].trim().equals(labels.get(kv[0].trim()))) {
          return false;
        }
      } else if (requirement.contains("=")) {
        String[] kv = requirement.split("==?", 2);
        if (!kv[1].trim().equals(labels.get(kv[0].trim()))) {
          return false;
        }
      } else if (!labels.containsKey(requirement)) {
        return false;
      }
    }
    return true;
  }
}
