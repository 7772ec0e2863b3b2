package dev.kgate.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kgate command's logging, as shipped (cli's logback.xml), in a child JVM: readable lines by
 * default, one JSON object per line with {@code KGATE_LOG_FORMAT=json}.
 */
class LogFormatTest {

  private static String run(String format) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    if (format != null) {
      command.add("-DKGATE_LOG_FORMAT=" + format);
    }
    command.add(LogFormatProbe.class.getName());
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // stdout belongs to what a command prints: logback must not report its set-up there.
    assertThat(stdout).as("stdout").isEmpty();
    return stderr;
  }

  @Test
  void byDefaultEachEventIsOneReadableLine() throws Exception {
    String stderr = run(null);

    assertThat(stderr.lines().filter(l -> l.contains("probe alpha done")))
        .singleElement().satisfies(line -> assertThat(line).contains("INFO").doesNotStartWith("{"));
  }

  @Test
  void withJsonEachEventIsOneJsonObjectPerLine() throws Exception {
    String stderr = run("json");

    String line = stderr.lines().filter(l -> l.contains("probe alpha done")).findFirst().orElseThrow(
        () -> new AssertionError("no probe line in: " + stderr));
    JsonNode event = JsonMapper.builder().build().readTree(line);
    assertThat(event.get("level").asString()).isEqualTo("INFO");
    assertThat(event.get("loggerName").asString()).isEqualTo("dev.kgate.probe");
    assertThat(event.get("formattedMessage").asString()).isEqualTo("probe alpha done");
  }
}
