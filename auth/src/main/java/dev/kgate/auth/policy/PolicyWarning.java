package dev.kgate.auth.policy;

import java.util.Objects;

/**
 * Something in a valid policy that is probably not what its author meant (printed by
 * {@code kgate policy check}); the policy still loads.
 *
 * @param path    the key path, e.g. {@code roles[1].rules[0].resources}
 * @param message what looks wrong and why
 */
public record PolicyWarning(String path, String message) {

  public PolicyWarning {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
