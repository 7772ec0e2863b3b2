package dev.kgate.audit.redact;

import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.AuditObject;
import dev.kgate.audit.ObjectReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Decides what an audit event may hold of a request or response body, whatever level asked for
 * it. An audit log is read by more people than the cluster's Secrets are, and it is kept for
 * months: a credential written into it is a leaked credential.
 *
 * <ul>
 *   <li>Never written at all: bodies of {@code secrets}, {@code tokenreviews} and {@code
 *       serviceaccounts/token} (TokenRequest) in any API group, and any body whose {@code kind} is
 *       {@code Secret}, {@code SecretList}, {@code TokenReview} or {@code TokenRequest}.
 *   <li>Left out, with the reason: bodies larger than the copy limit, cut short, compressed, or not
 *       a JSON object or array (protobuf, YAML, plain text).
 *   <li>Redacted everywhere else: the value of every field whose name looks like a credential
 *       ({@link CredentialNames}); the {@code value} beside a {@code name}, {@code key} or {@code
 *       path} that looks like one (an env var {@code DB_PASSWORD}, a JSON patch of {@code
 *       /data/token}); {@code data} and {@code stringData} of any object of kind {@code Secret}
 *       (an item of a {@code List}); and the same inside strings that hold JSON, such as kubectl's
 *       {@code last-applied-configuration} annotation, which repeats the whole object.
 * </ul>
 *
 * Booleans, nulls and empty objects are kept: they hold no secret, and {@code managedFields}
 * names fields with empty objects. Free text is not searched: a password inside a ConfigMap
 * value such as {@code application.properties} is not found.
 */
public final class BodyRedaction {

  /** What replaces a redacted value. */
  public static final String REDACTED = "<redacted>";

  private static final Set<String> NEVER_WRITTEN_RESOURCES = Set.of("secrets", "tokenreviews", "tokenrequests");
  private static final Set<String> NEVER_WRITTEN_SUBRESOURCES = Set.of("token");
  private static final Set<String> NEVER_WRITTEN_KINDS = Set.of("Secret", "SecretList", "TokenReview", "TokenRequest");
  private static final List<String> VALUE_NAMERS = List.of("name", "key", "path");

  private BodyRedaction() {}

  /**
   * Whether bodies of requests about {@code ref} are never written, whatever their content: the
   * gateway need not even copy them.
   */
  public static boolean neverWritten(ObjectReference ref) {
    return ref != null
        && ((ref.resource() != null && NEVER_WRITTEN_RESOURCES.contains(ref.resource()))
            || (ref.subresource() != null && NEVER_WRITTEN_SUBRESOURCES.contains(ref.subresource())));
  }

  /** What the event records of {@code body}, a body of a request about {@code ref} (null if none). */
  public static RecordedBody record(ObjectReference ref, CapturedBody body) {
    if (body.isEmpty()) {
      return new RecordedBody.Empty();
    }
    if (neverWritten(ref)) {
      return new RecordedBody.Omitted("never written: a body of " + ref.qualifiedResource());
    }
    if (!body.complete()) {
      return new RecordedBody.Omitted("omitted: the body did not end (" + body.size() + " bytes seen)");
    }
    if (body.bytes() == null) {
      return new RecordedBody.Omitted("omitted: " + body.size() + " bytes, larger than the limit of "
          + body.limit() + " (audit.maxBodyBytes)");
    }
    String encoding = body.contentEncoding();
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      return new RecordedBody.Omitted("omitted: encoded as " + encoding);
    }
    JsonNode tree;
    try {
      tree = AuditEventJson.MAPPER.readTree(body.bytes());
    } catch (JacksonException e) {
      tree = null;
    }
    if (tree == null || !tree.isContainer()) {
      return new RecordedBody.Omitted("omitted: not a JSON object"
          + (body.contentType() == null ? "" : " (" + body.contentType() + ")"));
    }
    String kind = AuditEventJson.text(tree, "kind");
    if (kind != null && NEVER_WRITTEN_KINDS.contains(kind)) {
      return new RecordedBody.Omitted("never written: a " + kind);
    }
    int redacted = redact(tree);
    return new RecordedBody.Written(AuditObject.of(tree), redacted);
  }

  /** Redacts {@code node} in place; returns how many values it replaced. */
  static int redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      return redactObject(object);
    }
    int count = 0;
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        int index = i;
        JsonNode element = array.get(i);
        if (element.isString()) {
          count += redactEmbedded(element.stringValue(), value -> array.set(index, value));
        } else {
          count += redact(element);
        }
      }
    }
    return count;
  }

  private static int redactObject(ObjectNode object) {
    int count = 0;
    boolean secret = "Secret".equals(AuditEventJson.text(object, "kind"));
    for (String field : new ArrayList<>(object.propertyNames())) {
      JsonNode value = object.get(field);
      boolean secretData = secret && (field.equals("data") || field.equals("stringData"));
      if ((secretData || CredentialNames.looksLikeCredential(field)) && holdsSomething(value)) {
        object.put(field, REDACTED);
        count++;
      } else if (value.isString()) {
        count += redactEmbedded(value.stringValue(), replacement -> object.set(field, replacement));
      } else {
        count += redact(value);
      }
    }
    if (object.has("value") && holdsSomething(object.get("value")) && namesACredential(object)) {
      object.put("value", REDACTED);
      count++;
    }
    return count;
  }

  /** An env var, a patch operation, a key/value pair: the value's name is beside it. */
  private static boolean namesACredential(ObjectNode object) {
    for (String namer : VALUE_NAMERS) {
      String name = AuditEventJson.text(object, namer);
      if (name != null && CredentialNames.looksLikeCredential(name)) {
        return true;
      }
    }
    return false;
  }

  /** A string that holds a JSON object or array is redacted as one, and written back as a string. */
  private static int redactEmbedded(String text, Consumer<JsonNode> replace) {
    String trimmed = text.strip();
    if (trimmed.length() < 2 || !(trimmed.charAt(0) == '{' || trimmed.charAt(0) == '[')) {
      return 0;
    }
    JsonNode inner;
    try {
      inner = AuditEventJson.MAPPER.readTree(trimmed);
    } catch (JacksonException e) {
      return 0;
    }
    if (inner == null || !inner.isContainer()) {
      return 0;
    }
    String kind = AuditEventJson.text(inner, "kind");
    if (kind != null && NEVER_WRITTEN_KINDS.contains(kind) && !"Secret".equals(kind)) {
      replace.accept(StringNode.valueOf(REDACTED));
      return 1;
    }
    int count = redact(inner);
    if (count > 0) {
      replace.accept(StringNode.valueOf(AuditEventJson.MAPPER.writeValueAsString(inner)));
    }
    return count;
  }

  private static boolean holdsSomething(JsonNode value) {
    if (value.isNull() || value.isBoolean() || value.isMissingNode()) {
      return false;
    }
    if (value.isContainer()) {
      return !value.isEmpty();
    }
    return !(value.isString() && (value.stringValue().isEmpty() || value.stringValue().equals(REDACTED)));
  }
}
