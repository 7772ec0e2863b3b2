package dev.kgate.auth.policy;

import java.util.Objects;

/**
 * One problem in a policy file.
 *
 * @param path    the key path, e.g. {@code roles[2].rules[0].verbs[1]}; empty for the whole file
 * @param message what is wrong and what was expected
 */
public record PolicyError(String path, String message) {

  public PolicyError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
