package dev.kgate.gateway.config;

import dev.kgate.auth.text.Durations;
import dev.kgate.auth.text.Suggestions;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * A position in the YAML tree together with its key path. Every typed read reports what is wrong
 * with the value at this path into the shared error list and returns null (or the default), so a
 * parser can keep walking and report every mistake in one run instead of stopping at the first.
 */
final class ConfigNode {

  private final JsonNode node;
  private final String path;
  private final List<ConfigError> errors;
  private final Path baseDir;

  private ConfigNode(JsonNode node, String path, List<ConfigError> errors, Path baseDir) {
    this.node = node;
    this.path = path;
    this.errors = errors;
    this.baseDir = baseDir;
  }

  static ConfigNode root(JsonNode node, List<ConfigError> errors, Path baseDir) {
    return new ConfigNode(
        Objects.requireNonNull(node, "node"),
        "",
        Objects.requireNonNull(errors, "errors"),
        Objects.requireNonNull(baseDir, "baseDir"));
  }

  String path() {
    return path;
  }

  /** The number of errors reported so far (all nodes share one list). */
  int errorCount() {
    return errors.size();
  }

  void error(String message) {
    errors.add(new ConfigError(path, message));
  }

  /** Missing, or an explicit {@code null} (or YAML's {@code ~}, which the parser leaves as text). */
  boolean isAbsent() {
    return node.isMissingNode() || node.isNull() || (node.isString() && node.stringValue().equals("~"));
  }

  boolean isMissing() {
    return node.isMissingNode();
  }

  /** Whether this is the boolean {@code true}; reports nothing (for decisions before a full read). */
  boolean isTrue() {
    return node.isBoolean() && node.booleanValue();
  }

  ConfigNode get(String key) {
    JsonNode child = node.isObject() ? node.path(key) : MissingNode.getInstance();
    return new ConfigNode(child, path.isEmpty() ? key : path + "." + key, errors, baseDir);
  }

  /**
   * Whether this is a mapping; reports any key not in {@code known}. An absent value is reported
   * as missing only when {@code required}.
   */
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
        get(key).error(unknownKeyMessage(key, known));
      }
    }
    return true;
  }

  /** Whether this is a list with nothing in it ({@code []}); reports nothing. */
  boolean isEmptyList() {
    return node.isArray() && node.isEmpty();
  }

  /** The elements of a list; an absent value is an empty list (callers check emptiness). */
  List<ConfigNode> list() {
    if (isAbsent()) {
      return List.of();
    }
    if (!node.isArray()) {
      error("expected a list");
      return List.of();
    }
    List<ConfigNode> elements = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      elements.add(new ConfigNode(node.get(i), path + "[" + i + "]", errors, baseDir));
    }
    return elements;
  }

  /** A scalar as text, or null when absent or not a scalar (reported). Empty text is reported. */
  String string() {
    if (isAbsent()) {
      return null;
    }
    if (node.isString() || node.isNumber()) {
      String text = node.asString();
      if (text.isBlank()) {
        error("must not be empty");
        return null;
      }
      return text;
    }
    error("expected a string");
    return null;
  }

  String requiredString() {
    if (isAbsent()) {
      error("required");
      return null;
    }
    return string();
  }

  /** A string that may be empty (prefixes), or {@code defaultValue} when absent. */
  String stringAllowingEmpty(String defaultValue) {
    if (isAbsent()) {
      return defaultValue;
    }
    if (node.isString()) {
      return node.stringValue();
    }
    error("expected a string");
    return defaultValue;
  }

  /** A list of non-empty strings; absent is an empty list. */
  List<String> strings() {
    List<String> values = new ArrayList<>();
    for (ConfigNode element : list()) {
      String value = element.string();
      if (value != null) {
        values.add(value);
      } else if (element.isAbsent()) {
        element.error("must not be empty");
      }
    }
    return values;
  }

  int integer(int defaultValue, int min, int max) {
    if (isAbsent()) {
      return defaultValue;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      error("expected a whole number between " + min + " and " + max);
      return defaultValue;
    }
    int value = node.intValue();
    if (value < min || value > max) {
      error("must be between " + min + " and " + max + ", was " + value);
      return defaultValue;
    }
    return value;
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

  /** A duration within [min, max], or the default when absent. */
  Duration duration(Duration defaultValue, Duration min, Duration max) {
    if (isAbsent()) {
      return defaultValue;
    }
    Optional<Duration> parsed = node.isString() ? Durations.parse(node.stringValue()) : Optional.empty();
    if (parsed.isEmpty()) {
      error("expected " + Durations.EXPECTED + ", was '" + node.asString() + "'");
      return defaultValue;
    }
    Duration value = parsed.get();
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      error(
          "must be between "
              + Durations.format(min)
              + " and "
              + Durations.format(max)
              + ", was "
              + node.stringValue());
      return defaultValue;
    }
    return value;
  }

  /** A path resolved against the config file's directory; not checked on disk. */
  Path resolvedPath() {
    String text = string();
    if (text == null) {
      return null;
    }
    try {
      return baseDir.resolve(text).normalize();
    } catch (InvalidPathException e) {
      error("not a valid path: " + e.getReason());
      return null;
    }
  }

  /** A readable regular file, or null (absent, or a reported problem). */
  Path file() {
    Path file = resolvedPath();
    if (file == null) {
      return null;
    }
    if (!Files.exists(file)) {
      error("file does not exist: " + file);
      return null;
    }
    if (!Files.isRegularFile(file)) {
      error("not a regular file: " + file);
      return null;
    }
    if (!Files.isReadable(file)) {
      error("file is not readable: " + file);
      return null;
    }
    return file;
  }

  Path requiredFile() {
    if (isAbsent()) {
      error("required");
      return null;
    }
    return file();
  }

  private static String unknownKeyMessage(String key, List<String> known) {
    return Suggestions.closest(key, known)
        .map(suggestion -> "unknown key; did you mean '" + suggestion + "'?")
        .orElseGet(() -> "unknown key; expected one of " + String.join(", ", known));
  }
}
