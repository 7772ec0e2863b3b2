package dev.kgate.audit;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A request or response body as an event embeds it ({@code requestObject}, {@code
 * responseObject}): one JSON object or array, already redacted, held as compact JSON text. Only
 * built from a parsed tree, so the text is always valid JSON without a raw newline, and the event
 * line it is written into stays one line; immutable, unlike the tree it came from.
 */
public final class AuditObject {

  private final String json;

  private AuditObject(String json) {
    this.json = json;
  }

  /** The tree as compact JSON; throws {@link IllegalArgumentException} for anything but an object or array. */
  public static AuditObject of(JsonNode tree) {
    Objects.requireNonNull(tree, "tree");
    if (!tree.isContainer()) {
      throw new IllegalArgumentException("an audit object is a JSON object or array, not " + tree.getNodeType());
    }
    return new AuditObject(AuditEventJson.MAPPER.writeValueAsString(tree));
  }

  /** The body as compact JSON text. */
  public String json() {
    return json;
  }

  /** A fresh tree of the body, for readers that look inside it. */
  public JsonNode tree() {
    return AuditEventJson.MAPPER.readTree(json);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AuditObject that && json.equals(that.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return json;
  }
}
