package dev.kgate.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The configuration cannot be used. Carries every problem found, not only the first, so that an
 * operator fixes the file in one pass; {@link #getMessage()} has one line per error.
 */
public final class ConfigException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
    if (this.errors.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one error");
    }
  }

  /** A single error. */
  public ConfigException(String path, String message) {
    this(List.of(new ConfigError(path, message)));
  }

  /** Every error, in document order. */
  public List<ConfigError> errors() {
    return errors;
  }

  private static String format(List<ConfigError> errors) {
    return errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
  }
}
