package dev.kgate.gateway.admin;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One named readiness check. {@code probe} answers null when all is well, else what is wrong, in
 * words for the operator reading {@code /readyz?verbose}.
 */
public record HealthCheck(String name, Supplier<String> probe) {

  public HealthCheck {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(probe, "probe");
  }

  /** What is wrong, or null; a check that throws counts as failed. */
  String problem() {
    try {
      return probe.get();
    } catch (RuntimeException e) {
      return "check failed: " + e;
    }
  }
}
