package dev.kgate.audit;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an {@link AuditEvent} as one JSON object the way Kubernetes spells an {@code
 * audit.k8s.io/v1} {@code Event} ({@code auditID}, {@code requestURI}, {@code sourceIPs}, RFC 3339
 * timestamps with microseconds), and reads it back. Fields are written in a fixed order and null
 * or empty ones are left out, as Kubernetes does with {@code omitempty}; the output never contains
 * a raw newline, so one event is one line.
 */
public final class AuditEventJson {

  public static final String API_VERSION = "audit.k8s.io/v1";
  public static final String KIND = "Event";

  /** Thread-safe and immutable once built; shared by every reader and writer of audit JSON. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

  private AuditEventJson() {}

  /** The event as UTF-8 JSON, one object ending in {@code '}'}, with no newline. */
  public static byte[] write(AuditEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(768);
    try (JsonGenerator json = MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("kind", KIND);
      json.writeStringProperty("apiVersion", API_VERSION);
      json.writeStringProperty("level", event.level().name());
      json.writeStringProperty("auditID", event.auditId());
      json.writeStringProperty("stage", event.stage().name());
      json.writeStringProperty("requestURI", event.requestUri());
      optional(json, "verb", event.verb());
      writeUser(json, "user", event.user());
      if (event.impersonatedUser() != null) {
        writeUser(json, "impersonatedUser", event.impersonatedUser());
      }
      strings(json, "sourceIPs", event.sourceIps());
      optional(json, "userAgent", event.userAgent());
      writeObjectRef(json, event.objectRef());
      writeStatus(json, event.responseStatus());
      writeObject(json, "requestObject", event.requestObject());
      writeObject(json, "responseObject", event.responseObject());
      json.writeStringProperty("requestReceivedTimestamp", formatTime(event.requestReceivedTimestamp()));
      json.writeStringProperty("stageTimestamp", formatTime(event.stageTimestamp()));
      if (!event.annotations().isEmpty()) {
        json.writeObjectPropertyStart("annotations");
        for (Map.Entry<String, String> entry : event.annotations().entrySet()) {
          json.writeStringProperty(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
      }
      optional(json, "cluster", event.cluster());
      optional(json, "issuer", event.issuer());
      optional(json, "subject", event.subject());
      strings(json, "amr", event.amr());
      optional(json, "acr", event.acr());
      optional(json, "latencyMillis", event.latencyMillis());
      optional(json, "requestBytes", event.requestBytes());
      optional(json, "responseBytes", event.responseBytes());
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /** An event from a parsed line; throws {@link IllegalArgumentException} if it is not one. */
  public static AuditEvent read(JsonNode node) {
    if (!KIND.equals(text(node, "kind"))) {
      throw new IllegalArgumentException("not an audit Event");
    }
    try {
      JsonNode status = node.path("responseStatus");
      return AuditEvent.builder()
          .level(Level.valueOf(required(node, "level")))
          .auditId(required(node, "auditID"))
          .stage(Stage.valueOf(required(node, "stage")))
          .requestUri(required(node, "requestURI"))
          .verb(text(node, "verb"))
          .user(readUser(node.path("user")))
          .impersonatedUser(node.path("impersonatedUser").isObject()
              ? readUser(node.path("impersonatedUser")) : null)
          .sourceIps(strings(node.path("sourceIPs")))
          .userAgent(text(node, "userAgent"))
          .objectRef(readObjectRef(node.path("objectRef")))
          .responseStatus(status.isObject()
              ? new ResponseStatus(status.path("code").asInt(0), text(status, "status"),
                  text(status, "reason"), text(status, "message"))
              : null)
          .requestObject(readObject(node.path("requestObject")))
          .responseObject(readObject(node.path("responseObject")))
          .requestReceivedTimestamp(parseTime(text(node, "requestReceivedTimestamp")))
          .stageTimestamp(parseTime(required(node, "stageTimestamp")))
          .annotations(stringMap(node.path("annotations")))
          .cluster(text(node, "cluster"))
          .issuer(text(node, "issuer"))
          .subject(text(node, "subject"))
          .amr(strings(node.path("amr")))
          .acr(text(node, "acr"))
          .latencyMillis(number(node, "latencyMillis"))
          .requestBytes(number(node, "requestBytes"))
          .responseBytes(number(node, "responseBytes"))
          .build();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed audit Event: " + e.getMessage(), e);
    }
  }

  /** An instant as Kubernetes writes a {@code MicroTime}: UTC, six fraction digits. */
  public static String formatTime(Instant instant) {
    return MICRO_TIME.format(instant);
  }

  /** An RFC 3339 timestamp (any fraction length, any offset), or null for null. */
  public static Instant parseTime(String text) {
    return text == null ? null : OffsetDateTime.parse(text).toInstant();
  }

  /** The string value of a field, or null when it is missing or not a string. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.stringValue() : null;
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw new IllegalArgumentException("missing " + field);
    }
    return value;
  }

  private static Long number(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isIntegralNumber() ? value.longValue() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : array.values()) {
      if (value.isString()) {
        values.add(value.stringValue());
      }
    }
    return values;
  }

  private static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      if (entry.getValue().isString()) {
        values.put(entry.getKey(), entry.getValue().stringValue());
      }
    }
    return values;
  }

  private static UserInfo readUser(JsonNode node) {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.path("extra").properties()) {
      extra.put(entry.getKey(), strings(entry.getValue()));
    }
    return new UserInfo(required(node, "username"), text(node, "uid"),
        strings(node.path("groups")), extra);
  }

  private static ObjectReference readObjectRef(JsonNode node) {
    if (!node.isObject()) {
      return null;
    }
    return new ObjectReference(text(node, "resource"), text(node, "namespace"),
        text(node, "name"), text(node, "apiGroup"), text(node, "apiVersion"),
        text(node, "subresource"));
  }

  private static void writeUser(JsonGenerator json, String field, UserInfo user) {
    json.writeObjectPropertyStart(field);
    json.writeStringProperty("username", user.username());
    optional(json, "uid", user.uid());
    strings(json, "groups", user.groups());
    if (!user.extra().isEmpty()) {
      json.writeObjectPropertyStart("extra");
      for (Map.Entry<String, List<String>> entry : user.extra().entrySet()) {
        json.writeArrayPropertyStart(entry.getKey());
        for (String value : entry.getValue()) {
          json.writeString(value);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    }
    json.writeEndObject();
  }

  private static void writeObjectRef(JsonGenerator json, ObjectReference ref) {
    if (ref == null) {
      return;
    }
    json.writeObjectPropertyStart("objectRef");
    optional(json, "resource", ref.resource());
    optional(json, "namespace", ref.namespace());
    optional(json, "name", ref.name());
    optional(json, "apiGroup", ref.apiGroup());
    optional(json, "apiVersion", ref.apiVersion());
    optional(json, "subresource", ref.subresource());
    json.writeEndObject();
  }

  private static AuditObject readObject(JsonNode node) {
    return node.isContainer() ? AuditObject.of(node) : null;
  }

  /** Raw, because an {@link AuditObject} is compact JSON already: no second serialization. */
  private static void writeObject(JsonGenerator json, String field, AuditObject object) {
    if (object != null) {
      json.writeName(field);
      json.writeRawValue(object.json());
    }
  }

  private static void writeStatus(JsonGenerator json, ResponseStatus status) {
    if (status == null) {
      return;
    }
    json.writeObjectPropertyStart("responseStatus");
    optional(json, "status", status.status());
    optional(json, "message", status.message());
    optional(json, "reason", status.reason());
    json.writeNumberProperty("code", status.code());
    json.writeEndObject();
  }

  private static void strings(JsonGenerator json, String field, List<String> values) {
    if (values.isEmpty()) {
      return;
    }
    json.writeArrayPropertyStart(field);
    for (String value : values) {
      json.writeString(value);
    }
    json.writeEndArray();
  }

  private static void optional(JsonGenerator json, String field, String value) {
    if (value != null) {
      json.writeStringProperty(field, value);
    }
  }

  private static void optional(JsonGenerator json, String field, Long value) {
    if (value != null) {
      json.writeNumberProperty(field, value.longValue());
    }
  }
}
