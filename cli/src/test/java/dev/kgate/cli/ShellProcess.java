package dev.kgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One command line run by {@code bash -c}, as a person would type it into a terminal, with its
 * stdout and stderr collected as they arrive (so long-running commands like {@code kubectl get -w}
 * can be checked for their first output, then stopped).
 */
final class ShellProcess implements AutoCloseable {

  private final String command;
  private final Process process;
  private final StringBuffer stdout = new StringBuffer();
  private final StringBuffer stderr = new StringBuffer();
  private final Thread stdoutReader;
  private final Thread stderrReader;

  private ShellProcess(String command, Process process) {
    this.command = command;
    this.process = process;
    this.stdoutReader = collect(process.getInputStream(), stdout, "stdout");
    this.stderrReader = collect(process.getErrorStream(), stderr, "stderr");
  }

  static ShellProcess start(String command, Map<String, String> env, Path workDir) {
    ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(workDir.toFile());
    // Nothing from the developer's own kubectl setup may leak in: the command says what to use.
    builder.environment().keySet().removeAll(List.of("KUBECONFIG", "KUBECACHEDIR"));
    builder.environment().putAll(env);
    try {
      return new ShellProcess(command, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start: " + command, e);
    }
  }

  /** Runs to completion (or fails the test after {@code timeout}) and returns the exit code. */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("still running after " + timeout + ": " + this);
      }
      joinReaders(timeout);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits until stdout satisfies {@code condition}; fails with what was printed if it does not. */
  void awaitStdout(Predicate<String> condition, Duration timeout) {
    try {
      Awaitility.await(command)
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> condition.test(stdout()) || !process.isAlive());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("did not print what was expected within " + timeout + ": " + this, e);
    }
    if (!condition.test(stdout())) {
      // It exited: let the readers drain what it printed just before, then decide.
      joinReaders(Duration.ofSeconds(2));
      if (!condition.test(stdout())) {
        throw new AssertionError("exited with " + process.exitValue() + " before printing what was expected: " + this);
      }
    }
  }

  void writeStdin(String text) {
    try {
      OutputStream in = process.getOutputStream();
      in.write(text.getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + command, e);
    }
  }

  void closeStdin() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the stdin of " + command, e);
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String stdout() {
    return stdout.toString();
  }

  String stderr() {
    return stderr.toString();
  }

  /** Stops the command and what it started (kubectl runs as a child of bash). */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "$ " + command + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
  }

  private void joinReaders(Duration timeout) {
    try {
      stdoutReader.join(timeout.toMillis());
      stderrReader.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Thread collect(InputStream stream, StringBuffer into, String name) {
    Thread reader = new Thread(() -> {
      char[] buffer = new char[8192];
      try (Reader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          into.append(buffer, 0, n);
        }
      } catch (IOException closed) {
        // The process went away; what was read is kept.
      }
    }, "shell-" + name);
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
