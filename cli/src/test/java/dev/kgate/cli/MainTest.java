package dev.kgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class MainTest {

  @Command(name = "explode")
  static final class ExplodingCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new CompletionException(new UncheckedIOException(new IOException("the disk is on fire")));
    }
  }

  @Test
  void versionPrintsOneLineWithTheProjectVersion() {
    CapturedRun run = CapturedRun.of("version");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out().lines()).as("one line").hasSize(1);
    assertThat(run.out()).as("the Maven-filtered version, not a placeholder").startsWith("kgate 0.").doesNotContain("${");
  }

  @Test
  void anUnexpectedFailureIsOnePlainLineWithoutAStackTrace() {
    CapturedRun run = CapturedRun.of(StopSignal.manual(), new ExplodingCommand(), "explode");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("kgate: the disk is on fire" + System.lineSeparator());
  }

  @Test
  void verbosePrintsTheStackTraceToo() {
    CapturedRun run = CapturedRun.of(StopSignal.manual(), new ExplodingCommand(), "explode", "--verbose");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines().findFirst()).hasValue("kgate: the disk is on fire");
    assertThat(run.err()).contains("\tat ").contains("CompletionException");
  }

  @Test
  void withoutACommandTheUsageIsShownAndTheExitCodeIsTwo() {
    CapturedRun run = CapturedRun.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing COMMAND").contains("serve").contains("demo").contains("version");
  }

  @Test
  void anUnknownOptionIsAUsageErrorNotAStackTrace() {
    CapturedRun run = CapturedRun.of("version", "--no-such-option");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--no-such-option").doesNotContain("\tat ");
  }
}
