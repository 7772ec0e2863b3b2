package dev.kgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

  @TempDir Path dir;

  @Test
  void aTakenPortIsOnePlainLineAndExitCodeOne() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Path demoDir = dir.resolve("demo");

      CapturedRun run = CapturedRun.of("demo", "--port", String.valueOf(port), "--dir", demoDir.toString());

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err().lines())
          .containsExactly("kgate: port " + port + " on 127.0.0.1 is already in use; choose another with --port");
      assertThat(run.out()).isEmpty();
      assertThat(Files.exists(demoDir)).as("nothing was started or written").isFalse();
    }
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    CapturedRun run = CapturedRun.of("demo", "--port", "70000", "--dir", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("kgate: --port must be between 0 and 65535");
  }
}
