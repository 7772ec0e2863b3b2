package dev.kgate.cli.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays an asciicast v2 recording: each output event's text is written as it was, after the pause
 * that preceded it (divided by the speed factor, and no longer than the idle cap). Input and
 * resize events are not shown (a terminal shows the echo of what was typed, which is output);
 * markers, such as kgate's note that a recording stopped at its size limit, go to the error stream
 * so that the output stays exactly what the session printed.
 */
final class CastPlayer {

  /** Waits; the tests pass one that only counts. */
  interface Sleeper {
    void sleep(Duration pause) throws InterruptedException;
  }

  static final Sleeper REAL_TIME = pause -> Thread.sleep(pause.toMillis(), (int) (pause.toNanosPart() % 1_000_000));

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final double speed;
  private final Duration maxIdle;
  private final Sleeper sleeper;

  /**
   * @param speed   how many times faster than recorded (1 is real time)
   * @param maxIdle the longest pause played, or null for every pause as recorded
   * @param sleeper how to wait, or null not to wait at all
   */
  CastPlayer(double speed, Duration maxIdle, Sleeper sleeper) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive number");
    }
    this.speed = speed;
    this.maxIdle = maxIdle;
    this.sleeper = sleeper;
  }

  /** Plays {@code cast}; throws {@link UsageException} on a line that is not asciicast v2. */
  void play(BufferedReader cast, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
    String header = cast.readLine();
    if (header == null || !isHeader(header)) {
      throw new UsageException("not an asciicast v2 recording");
    }
    double previous = 0;
    int lineNumber = 1;
    for (String line; (line = cast.readLine()) != null; ) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode event = event(line, lineNumber);
      double at = event.get(0).asDouble();
      pause(Math.max(0, at - previous));
      previous = Math.max(previous, at);
      String code = event.get(1).asString();
      String data = event.get(2).asString();
      if (code.equals("o")) {
        out.print(data);
        out.flush();
      } else if (code.equals("m")) {
        err.println("[" + TerminalText.safe(data) + "]");
        err.flush();
      }
    }
  }

  private static boolean isHeader(String line) {
    try {
      JsonNode header = JSON.readTree(line);
      return header.isObject() && header.path("version").asInt() == 2;
    } catch (JacksonException e) {
      return false;
    }
  }

  private static JsonNode event(String line, int lineNumber) {
    try {
      JsonNode event = JSON.readTree(line);
      if (event.isArray() && event.size() == 3 && event.get(0).isNumber() && event.get(1).isString()
          && event.get(2).isString()) {
        return event;
      }
    } catch (JacksonException e) {
      // reported below
    }
    throw new UsageException("line " + lineNumber + " of the recording is not an asciicast v2 event");
  }

  private void pause(double seconds) throws InterruptedException {
    if (sleeper == null || seconds <= 0) {
      return;
    }
    Duration pause = Duration.ofNanos((long) (seconds * 1e9 / speed));
    if (maxIdle != null && pause.compareTo(maxIdle) > 0) {
      pause = maxIdle;
    }
    if (!pause.isZero()) {
      sleeper.sleep(pause);
    }
  }
}
