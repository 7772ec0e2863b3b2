package dev.kgate.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlayCommandTest {

  private static final String ID = "0f8c2a4e-1b2c-4d5e-8f90-123456789abc";
  private static final String RELATIVE = "sessions/alice-example-com-0123456789abcdef0123/" + ID + ".cast";
  private static final String CAST = """
      {"version":2,"width":80,"height":24,"timestamp":1764982800,"title":"kubectl exec","env":{"TERM":"xterm-256color"}}
      [0.000000,"r","80x24"]
      [0.500000,"i","ls\\r"]
      [0.510000,"o","ls\\r\\n"]
      [1.000000,"o","\\u001b[1mbin\\u001b[0m  etc\\r\\n$ "]
      [4.000000,"o","exit\\r\\n"]
      [4.000000,"m","kgate: status {\\"status\\":\\"Success\\"}"]
      """;
  private static final String OUTPUT = "ls\r\n\u001b[1mbin\u001b[0m  etc\r\n$ exit\r\n";

  @TempDir Path dir;

  @BeforeEach
  void auditDirectoryWithOneRecording() throws Exception {
    Files.createDirectories(dir.resolve("users"));
    Path cast = dir.resolve(RELATIVE);
    Files.createDirectories(cast.getParent());
    Files.writeString(cast, CAST);
  }

  private AuditRun play(String... args) {
    List<String> all = new ArrayList<>(List.of("play", "--dir", dir.toString(), "--no-wait"));
    all.addAll(List.of(args));
    return AuditRun.of(all.toArray(String[]::new));
  }

  @Test
  void playByAuditIdPrintsExactlyTheRecordedOutput() {
    AuditRun run = play(ID);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).as("output events only, escapes and all").isEqualTo(OUTPUT);
    assertThat(run.err()).as("kgate's markers go to stderr").contains("kgate: status");
  }

  @Test
  void theAnnotationsRelativePathFindsTheSameRecording() {
    AuditRun run = play(RELATIVE);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo(OUTPUT);
  }

  @Test
  void anUnknownSessionIsAUsageError() {
    AuditRun run = play("0f8c2a4e-0000-0000-0000-000000000000");

    assertThat(run.exitCode()).isEqualTo(AuditCommand.EXIT_USAGE);
    assertThat(run.err()).contains("no session recording");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aFileOutsideTheAuditDirectoryIsNeverPlayed(@TempDir Path elsewhere) throws Exception {
    Path outside = elsewhere.resolve("evil.cast");
    Files.writeString(outside, CAST);
    Path link = dir.resolve("sessions/alice-example-com-0123456789abcdef0123/link.cast");
    Files.createSymbolicLink(link, outside);

    for (String name : List.of(outside.toString(), "sessions/../../" + elsewhere.getFileName() + "/evil.cast",
        link.toString(), dir.resolve("users").toString())) {
      AuditRun run = play(name);
      assertThat(run.exitCode()).as(name).isEqualTo(AuditCommand.EXIT_USAGE);
      assertThat(run.out()).as(name).isEmpty();
    }
  }

  @Test
  void somethingThatIsNotAnAsciicastIsAUsageError() throws Exception {
    Files.writeString(dir.resolve(RELATIVE), "not json\n");

    AuditRun run = play(ID);

    assertThat(run.exitCode()).isEqualTo(AuditCommand.EXIT_USAGE);
    assertThat(run.err()).contains("not an asciicast v2 recording");
  }

  @Test
  void aBadSpeedOrIdleIsAUsageError() {
    assertThat(play("--speed", "0", ID).exitCode()).isEqualTo(AuditCommand.EXIT_USAGE);
    assertThat(play("--max-idle", "soon", ID).err()).contains("invalid --max-idle");
  }

  /** Plays the test recording, keeping the pauses it would have made. */
  private static List<Duration> pauses(double speed, Duration maxIdle) throws Exception {
    List<Duration> pauses = new ArrayList<>();
    new CastPlayer(speed, maxIdle, pauses::add).play(new BufferedReader(new StringReader(CAST)),
        new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    return pauses;
  }

  @Test
  void pausesAreReplayedAsRecordedDividedByTheSpeedAndCappedByTheIdleLimit() throws Exception {
    assertThat(pauses(1, null)).containsExactly(Duration.ofMillis(500), Duration.ofMillis(10), Duration.ofMillis(490),
        Duration.ofSeconds(3));
    assertThat(pauses(2, null)).containsExactly(Duration.ofMillis(250), Duration.ofMillis(5), Duration.ofMillis(245),
        Duration.ofMillis(1500));
    assertThat(pauses(1, Duration.ofSeconds(1))).last().isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aPlayerRefusesASpeedThatIsNotPositive() {
    assertThatThrownBy(() -> new CastPlayer(-1, null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
