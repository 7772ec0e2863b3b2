package dev.kgate.sim.stream.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** What a one-shot command printed, collected before it is written out. */
final class CommandOutput {

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  void out(String text) {
    stdout.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  void out(byte[] bytes) {
    stdout.writeBytes(bytes);
  }

  void err(String text) {
    stderr.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  byte[] stdoutBytes() {
    return stdout.toByteArray();
  }

  byte[] stderrBytes() {
    return stderr.toByteArray();
  }
}
