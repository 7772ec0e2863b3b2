package dev.kgate.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a long-running command ({@code serve}, {@code demo}) alive until the process is asked to
 * stop, then closes what it started. On SIGINT/SIGTERM the JVM runs a shutdown hook that requests
 * the stop and waits for the close to finish, because the JVM halts as soon as its hooks return.
 * Tests use {@link #manual()} and {@link #requestStop()} instead of signals.
 */
final class StopSignal {

  /** How long a shutdown hook waits for a graceful close before letting the JVM halt. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(50);

  private final boolean hookIntoJvmShutdown;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);

  private StopSignal(boolean hookIntoJvmShutdown) {
    this.hookIntoJvmShutdown = hookIntoJvmShutdown;
  }

  /** Stops when the JVM shuts down (Ctrl-C, SIGTERM). */
  static StopSignal onJvmShutdown() {
    return new StopSignal(true);
  }

  /** Stops only when {@link #requestStop()} is called. */
  static StopSignal manual() {
    return new StopSignal(false);
  }

  void requestStop() {
    stopRequested.countDown();
  }

  /** Blocks until a stop is requested, then closes {@code service} on the calling thread. */
  void runUntilStopped(AutoCloseable service) throws Exception {
    Thread hook = hookIntoJvmShutdown ? new Thread(this::stopAndAwaitClose, "kgate-shutdown") : null;
    if (hook != null) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try (service) {
      stopRequested.await();
    } finally {
      closed.countDown();
      if (hook != null) {
        removeUnlessShuttingDown(hook);
      }
    }
  }

  private void stopAndAwaitClose() {
    requestStop();
    try {
      closed.await(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeUnlessShuttingDown(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook is running (that is why we stopped); nothing to remove.
    }
  }
}
