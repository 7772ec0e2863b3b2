package dev.kgate.audit.webhook;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter between attempts to reach a receiver that is down: the n-th
 * wait is drawn from the upper half of {@code min(initial * 2^n, max)}, so replicas that lost
 * the same receiver do not come back in step, and no wait is shorter than half its step.
 */
final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final DoubleSupplier random;
  private int attempts;

  /** {@code random} returns values in [0, 1). */
  Backoff(Duration initial, Duration max, DoubleSupplier random) {
    this.maxMillis = Math.max(1, max.toMillis());
    this.initialMillis = Math.min(Math.max(1, initial.toMillis()), maxMillis);
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The wait before the next attempt; each call doubles the step until it reaches the cap. */
  Duration next() {
    long step = attempts >= 30 ? maxMillis : Math.min(maxMillis, initialMillis << attempts);
    attempts++;
    long half = step / 2;
    return Duration.ofMillis(step - half + (long) (random.getAsDouble() * (half + 1)));
  }

  /** After a success: the next failure starts again from the initial step. */
  void reset() {
    attempts = 0;
  }
}
