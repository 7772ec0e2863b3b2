package dev.kgate.sim.kubectl;

import java.util.List;
import java.util.Objects;

/**
 * How a kubectl run ended.
 *
 * @param command the full command line
 * @param exitCode the exit code, or -1 when the run was killed for taking too long
 * @param stdout everything kubectl wrote to standard output
 * @param stderr everything kubectl wrote to standard error
 * @param timedOut whether the run was killed at its timeout
 */
public record KubectlResult(List<String> command, int exitCode, String stdout, String stderr, boolean timedOut) {

  public KubectlResult {
    command = List.copyOf(command);
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(stderr, "stderr");
  }

  /** Exit code 0 and not timed out. */
  public boolean succeeded() {
    return exitCode == 0 && !timedOut;
  }

  /** A one-paragraph account for assertion messages. */
  public String describe() {
    return String.join(" ", command) + " -> exit " + exitCode + (timedOut ? " (timed out)" : "")
        + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr;
  }
}
