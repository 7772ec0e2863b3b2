package dev.kgate.auth.policy;

import dev.kgate.auth.text.Durations;
import dev.kgate.auth.text.Suggestions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A position in the policy's YAML tree with its key path. Typed reads report what is wrong into
 * the shared error list and return a fallback, so {@link PolicyLoader} walks on and reports every
 * mistake in one run.
 */
final class PolicyNode {

  private final JsonNode node;
  private final String path;
  private final List<PolicyError> errors;

  private PolicyNode(JsonNode node, String path, List<PolicyError> errors) {
    this.node = node;
    this.path = path;
    this.errors = errors;
  }

  static PolicyNode root(JsonNode node, List<PolicyError> errors) {
    return new PolicyNode(Objects.requireNonNull(node, "node"), "", Objects.requireNonNull(errors, "errors"));
  }

  String path() {
    return path;
  }

  void error(String message) {
    errors.add(new PolicyError(path, message));
  }

  /** Missing, an explicit null, or YAML's {@code ~}. */
  boolean isAbsent() {
    return node.isMissingNode() || node.isNull() || (node.isString() && node.stringValue().equals("~"));
  }

  PolicyNode get(String key) {
    JsonNode child = node.isObject() ? node.path(key) : MissingNode.getInstance();
    return new PolicyNode(child, path.isEmpty() ? key : path + "." + key, errors);
  }

  /** Whether this is a mapping; reports every key not in {@code known}. */
  boolean mapping(List<String> known, boolean required) {
    if (isAbsent()) {
      if (required) {
        error("required");
      }
      return false;
    }
    if (!node.isObject()) {
      error("expected a mapping with keys " + String.join(", ", known));
      return false;
    }
    for (Map.Entry<String, JsonNode> property : node.properties()) {
      String key = property.getKey();
      if (!known.contains(key)) {
        get(key)
            .error(
                Suggestions.closest(key, known)
                    .map(suggestion -> "unknown key; did you mean '" + suggestion + "'?")
                    .orElseGet(() -> "unknown key; expected one of " + String.join(", ", known)));
      }
    }
    return true;
  }

  /** Whether this is a list with no elements (reports nothing). */
  boolean isEmptyList() {
    return node.isArray() && node.isEmpty();
  }

  /** Whether this is absent or an empty list: "nothing listed" (reports nothing). */
  boolean listsNothing() {
    return isAbsent() || isEmptyList();
  }

  /** Whether this is a single string or number (reports nothing). */
  boolean isScalar() {
    return node.isString() || node.isNumber();
  }

  /** The elements of a list; absent is an empty list. */
  List<PolicyNode> list() {
    if (isAbsent()) {
      return List.of();
    }
    if (!node.isArray()) {
      error("expected a list");
      return List.of();
    }
    List<PolicyNode> elements = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      elements.add(new PolicyNode(node.get(i), path + "[" + i + "]", errors));
    }
    return elements;
  }

  /**
   * The non-empty strings of a list, de-duplicated in order; each is checked by {@code problem}
   * (null when fine) and problems are reported at the element's path.
   */
  List<String> strings(Function<String, String> problem) {
    List<String> values = new ArrayList<>();
    for (PolicyNode element : list()) {
      String value = element.string();
      if (value == null) {
        if (element.isAbsent()) {
          element.error("must not be empty");
        }
        continue;
      }
      String wrong = problem.apply(value);
      if (wrong != null) {
        element.error(wrong);
        continue;
      }
      values.add(value);
    }
    return List.copyOf(new LinkedHashSet<>(values));
  }

  /** A scalar as text (empty allowed), or null when absent or not a scalar (reported). */
  String text() {
    if (isAbsent()) {
      return null;
    }
    if (node.isString() || node.isNumber()) {
      return node.asString();
    }
    error("expected a string");
    return null;
  }

  /** A non-empty scalar, or null (absent, or reported). */
  String string() {
    String text = text();
    if (text != null && text.isBlank()) {
      error("must not be empty");
      return null;
    }
    return text;
  }

  String requiredString() {
    if (isAbsent()) {
      error("required");
      return null;
    }
    return string();
  }

  boolean bool(boolean defaultValue) {
    if (isAbsent()) {
      return defaultValue;
    }
    if (!node.isBoolean()) {
      error("expected true or false");
      return defaultValue;
    }
    return node.booleanValue();
  }

  /** A duration within [min, max], or null when absent or wrong (reported). */
  Duration duration(Duration min, Duration max) {
    if (isAbsent()) {
      return null;
    }
    Optional<Duration> parsed = node.isString() ? Durations.parse(node.stringValue()) : Optional.empty();
    if (parsed.isEmpty()) {
      error("expected " + Durations.EXPECTED + ", was '" + node.asString() + "'");
      return null;
    }
    Duration value = parsed.get();
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      error("must be between " + Durations.format(min) + " and " + Durations.format(max)
          + ", was " + node.stringValue());
      return null;
    }
    return value;
  }
}
