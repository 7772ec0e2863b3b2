package dev.kgate.sim.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Server-side printing: turns objects into {@code meta.k8s.io/v1} {@code Table}s when kubectl asks
 * for {@code as=Table}, with the columns a real API server prints for pods, deployments,
 * namespaces, secrets, config maps, services and nodes, and NAME/AGE for everything else.
 */
final class TableConverter {

  private final Clock clock;

  TableConverter(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Whether an Accept header asks for a Table. */
  static boolean wantsTable(String accept) {
    return accept != null && accept.contains("as=Table");
  }

  /** A Table of a list's items, or of a single object. */
  ObjectNode convert(String resource, JsonNode listOrObject, String includeObject) {
    List<JsonNode> objects = new ArrayList<>();
    if (listOrObject.has("items")) {
      listOrObject.path("items").forEach(objects::add);
    } else {
      objects.add(listOrObject);
    }
    List<Column> columns = columns(resource);
    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    ObjectNode metadata = table.putObject("metadata");
    String rv = Json.text(listOrObject, "metadata", "resourceVersion");
    if (!rv.isEmpty()) {
      metadata.put("resourceVersion", rv);
    }
    ArrayNode definitions = table.putArray("columnDefinitions");
    for (Column c : columns) {
      ObjectNode d = definitions.addObject();
      d.put("name", c.name);
      d.put("type", c.type);
      d.put("format", c.name.equals("Name") ? "name" : "");
      d.put("description", c.name);
      d.put("priority", c.priority);
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode object : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object value = c.cell.apply(object);
        if (value instanceof Number) {
          cells.add(((Number) value).longValue());
        } else {
          cells.add(String.valueOf(value));
        }
      }
      if ("Object".equals(includeObject)) {
        row.set("object", object);
      } else if (!"None".equals(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata").deepCopy());
      }
    }
    return table;
  }

  private List<Column> columns(String resource) {
    List<Column> c = new ArrayList<>();
    c.add(new Column("Name", "string", 0, o -> Json.text(o, "metadata", "name")));
    switch (resource) {
      case "pods":
        c.add(new Column("Ready", "string", 0, TableConverter::podReady));
        c.add(new Column("Status", "string", 0, TableConverter::podStatus));
        c.add(new Column("Restarts", "string", 0, TableConverter::podRestarts));
        c.add(age());
        c.add(new Column("IP", "string", 1, o -> orNone(Json.text(o, "status", "podIP"))));
        c.add(new Column("Node", "string", 1, o -> orNone(Json.text(o, "spec", "nodeName"))));
        c.add(new Column("Nominated Node", "string", 1, o -> "<none>"));
        c.add(new Column("Readiness Gates", "string", 1, o -> "<none>"));
        break;
      case "deployments":
        c.add(new Column("Ready", "string", 0,
            o -> o.path("status").path("readyReplicas").asLong(0) + "/" + o.path("spec").path("replicas").asLong(1)));
        c.add(new Column("Up-to-date", "integer", 0, o -> o.path("status").path("updatedReplicas").asLong(0)));
        c.add(new Column("Available", "integer", 0, o -> o.path("status").path("availableReplicas").asLong(0)));
        c.add(age());
        c.add(new Column("Containers", "string", 1, o -> containerField(o.path("spec").path("template"), "name")));
        c.add(new Column("Images", "string", 1, o -> containerField(o.path("spec").path("template"), "image")));
        c.add(new Column("Selector", "string", 1, o -> selector(o.path("spec").path("selector").path("matchLabels"))));
        break;
      case "namespaces":
        c.add(new Column("Status", "string", 0, o -> orDefault(Json.text(o, "status", "phase"), "Active")));
        c.add(age());
        break;
      case "secrets":
        c.add(new Column("Type", "string", 0, o -> orDefault(Json.text(o, "type"), "Opaque")));
        c.add(new Column("Data", "integer", 0, o -> (long) o.path("data").size()));
        c.add(age());
        break;
      case "configmaps":
        c.add(new Column("Data", "integer", 0, o -> (long) (o.path("data").size() + o.path("binaryData").size())));
        c.add(age());
        break;
      case "services":
        c.add(new Column("Type", "string", 0, o -> orDefault(Json.text(o, "spec", "type"), "ClusterIP")));
        c.add(new Column("Cluster-IP", "string", 0, o -> orNone(Json.text(o, "spec", "clusterIP"))));
        c.add(new Column("External-IP", "string", 0, o -> "<none>"));
        c.add(new Column("Port(s)", "string", 0, TableConverter::servicePorts));
        c.add(age());
        c.add(new Column("Selector", "string", 1, o -> selector(o.path("spec").path("selector"))));
        break;
      case "nodes":
        c.add(new Column("Status", "string", 0, o -> "Ready"));
        c.add(new Column("Roles", "string", 0, o -> "<none>"));
        c.add(age());
        c.add(new Column("Version", "string", 0, o -> Json.text(o, "status", "nodeInfo", "kubeletVersion")));
        break;
      default:
        c.add(age());
        break;
    }
    return c;
  }

  private Column age() {
    return new Column("Age", "string", 0, o -> {
      String created = Json.text(o, "metadata", "creationTimestamp");
      try {
        return HumanDuration.format(Duration.between(Instant.parse(created), clock.instant()));
      } catch (DateTimeParseException e) {
        return "<unknown>";
      }
    });
  }

  private static String podReady(JsonNode pod) {
    long ready = 0;
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      if (s.path("ready").asBoolean(false)) {
        ready++;
      }
    }
    return ready + "/" + pod.path("spec").path("containers").size();
  }

  private static String podStatus(JsonNode pod) {
    if (pod.path("metadata").has("deletionTimestamp")) {
      return "Terminating";
    }
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      String waiting = Json.text(s, "state", "waiting", "reason");
      if (!waiting.isEmpty()) {
        return waiting;
      }
    }
    String reason = Json.text(pod, "status", "reason");
    return !reason.isEmpty() ? reason : orDefault(Json.text(pod, "status", "phase"), "Pending");
  }

  private static String podRestarts(JsonNode pod) {
    long restarts = 0;
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      restarts += s.path("restartCount").asLong(0);
    }
    return String.valueOf(restarts);
  }

  private static String servicePorts(JsonNode service) {
    StringJoiner ports = new StringJoiner(",");
    for (JsonNode p : service.path("spec").path("ports")) {
      ports.add(p.path("port").asLong(0) + "/" + orDefault(Json.text(p, "protocol"), "TCP"));
    }
    return ports.length() == 0 ? "<none>" : ports.toString();
  }

  private static String containerField(JsonNode template, String field) {
    StringJoiner values = new StringJoiner(",");
    template.path("spec").path("containers").forEach(c -> values.add(Json.text(c, field)));
    return values.toString();
  }

  private static String selector(JsonNode labels) {
    StringJoiner s = new StringJoiner(",");
    for (Map.Entry<String, JsonNode> e : labels.properties()) {
      s.add(e.getKey() + "=" + e.getValue().stringValue(""));
    }
    return s.length() == 0 ? "<none>" : s.toString();
  }

  private static String orNone(String value) {
    return orDefault(value, "<none>");
  }

  private static String orDefault(String value, String fallback) {
    return value.isEmpty() ? fallback : value;
  }

  private static final class Column {
    final String name;
    final String type;
    final int priority;
    final Function<JsonNode, Object> cell;

    Column(String name, String type, int priority, Function<JsonNode, Object> cell) {
      this.name = name;
      this.type = type;
      this.priority = priority;
      this.cell = cell;
    }
  }
}
