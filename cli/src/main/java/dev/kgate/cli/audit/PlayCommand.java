package dev.kgate.cli.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit play}: replays a recorded exec or attach session in the terminal, at the speed
 * it happened or faster. The recording's output is written as it was, escape sequences included,
 * because that is what a terminal replay is; so only files inside the audit directory's {@code
 * sessions/} are played, never a path that leads elsewhere.
 */
@Command(name = "play", description = "Replay a recorded exec or attach session in the terminal.")
final class PlayCommand implements Callable<Integer> {

  private static final Pattern IDLE = Pattern.compile("(\\d{1,9})(ms|s|m)");

  @Spec private CommandSpec spec;
  @Mixin private AuditDirectory directory;

  @Parameters(paramLabel = "ID",
      description = "The session's audit id (kgate audit sessions lists them), or the path of its recording"
          + " (the kgate.dev/session annotation).")
  private String id;

  @Option(names = "--speed", paramLabel = "FACTOR", defaultValue = "1",
      description = "Play this many times faster (default ${DEFAULT-VALUE}).")
  private double speed;

  @Option(names = "--max-idle", paramLabel = "DURATION",
      description = "Shorten every longer pause to this (500ms, 2s, 1m).")
  private String maxIdle;

  @Option(names = "--no-wait", description = "Print the whole output at once, without pauses.")
  private boolean noWait;

  @Override
  public Integer call() throws IOException {
    try {
      return play();
    } catch (UsageException usage) {
      return usage.report(spec.commandLine().getErr());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AuditCommand.EXIT_OK;
    }
  }

  private int play() throws IOException, InterruptedException {
    Path dir = directory.existing();
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new UsageException("invalid --speed '" + speed + "': expected a positive number such as 2 or 0.5");
    }
    Duration idle = maxIdle == null ? null : idle(maxIdle);
    Path cast = SessionFiles.inside(dir, id);
    if (cast == null) {
      throw new UsageException("no session recording " + TerminalText.safe(id) + " in " + dir
          + " (recordings are read only from its sessions/ directory)");
    }
    CastPlayer player = new CastPlayer(speed, idle, noWait ? null : CastPlayer.REAL_TIME);
    try (BufferedReader reader = Files.newBufferedReader(cast, StandardCharsets.UTF_8)) {
      player.play(reader, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
    return AuditCommand.EXIT_OK;
  }

  private static Duration idle(String text) {
    Matcher m = IDLE.matcher(text);
    if (!m.matches()) {
      throw new UsageException("invalid --max-idle '" + TerminalText.safe(text) + "': expected 500ms, 2s or 1m");
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      default -> Duration.ofMinutes(amount);
    };
  }
}
