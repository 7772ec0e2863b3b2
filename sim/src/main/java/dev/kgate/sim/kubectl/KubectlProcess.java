package dev.kgate.sim.kubectl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A kubectl that keeps running ({@code get -w}, {@code logs -f}, {@code port-forward},
 * {@code exec -i}): its output lines can be awaited as they arrive, its stdin written, and it is
 * stopped on {@link #close()}. A guard kills it when the {@link Kubectl} timeout runs out, so a
 * forgotten process never outlives its test for long.
 */
public final class KubectlProcess implements AutoCloseable {

  private final List<String> command;
  private final Process process;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<String> lines = new ArrayList<>();
  private final StringBuilder stdout = new StringBuilder();
  private final StringBuilder stderr = new StringBuilder();
  private final Thread outReader;
  private final Thread errReader;
  private volatile boolean timedOut;

  KubectlProcess(List<String> command, Process process) {
    this.command = List.copyOf(command);
    this.process = process;
    this.outReader = reader("kubectl-stdout", process.getInputStream(), true);
    this.errReader = reader("kubectl-stderr", process.getErrorStream(), false);
  }

  private Thread reader(String name, InputStream in, boolean isStdout) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lock.lock();
          try {
            if (isStdout) {
              lines.add(line);
              stdout.append(line).append('\n');
            } else {
              stderr.append(line).append('\n');
            }
            changed.signalAll();
          } finally {
            lock.unlock();
          }
        }
      } catch (IOException e) {
        // The process went away; what was read is kept.
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Waits for a standard-output line matching {@code matching} and returns it; lines that arrived
   * earlier count too.
   *
   * @throws AssertionError when no such line arrives in time, with the output so far
   */
  public String awaitLine(Predicate<String> matching, Duration timeout) {
    return awaitLines(matching, 1, timeout).get(0);
  }

  /**
   * Waits until {@code count} standard-output lines match {@code matching} and returns them all.
   *
   * @throws AssertionError when fewer arrive in time, with the output so far
   */
  public List<String> awaitLines(Predicate<String> matching, int count, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        List<String> matched = lines.stream().filter(matching).toList();
        if (matched.size() >= count) {
          return matched;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(count + " matching line(s) expected from " + String.join(" ", command)
              + " within " + timeout + ", got " + matched.size()
              + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr);
        }
        changed.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for kubectl output", e);
    } finally {
      lock.unlock();
    }
  }

  /** The standard-output lines received so far. */
  public List<String> lines() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /** Standard error so far. */
  public String stderr() {
    lock.lock();
    try {
      return stderr.toString();
    } finally {
      lock.unlock();
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Writes to kubectl's standard input and flushes. */
  public void writeStdin(String text) {
    try {
      OutputStream in = process.getOutputStream();
      in.write(text.getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes kubectl's standard input (end of file). */
  public void closeStdin() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for kubectl to exit by itself; kills it if it has not within {@code timeout}. */
  public KubectlResult awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        timedOut = true;
        return stop();
      }
      return result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new AssertionError("interrupted while waiting for kubectl", e);
    }
  }

  /** Stops kubectl (SIGTERM, then SIGKILL after a grace second) and returns what it did. */
  public KubectlResult stop() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
    return result();
  }

  void markTimedOut() {
    timedOut = true;
  }

  private KubectlResult result() {
    try {
      outReader.join(2_000);
      errReader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int exit = process.isAlive() ? -1 : process.exitValue();
    lock.lock();
    try {
      return new KubectlResult(command, timedOut ? -1 : exit, stdout.toString(), stderr.toString(), timedOut);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
