package dev.kgate.gateway.config;

import java.util.Objects;

/**
 * One problem in the configuration.
 *
 * @param path    the key path, e.g. {@code clusters[1].credentials.tokenFile}; empty for the whole
 *                document (a YAML syntax error, an unreadable file)
 * @param message what is wrong and what was expected
 */
public record ConfigError(String path, String message) {

  public ConfigError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
