package dev.kgate.gateway.record;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;

/**
 * The asciicast v2 lines kgate writes: a header object, then one {@code [seconds, code, data]}
 * array per event ({@code o} output, {@code i} input, {@code r} resize as {@code COLSxROWS},
 * {@code m} marker). See https://docs.asciinema.org/manual/asciicast/v2/.
 */
final class Asciicast {

  static final String OUTPUT = "o";
  static final String INPUT = "i";
  static final String RESIZE = "r";
  static final String MARKER = "m";

  private Asciicast() {}

  static byte[] header(int width, int height, Instant start, String title, String command) {
    StringBuilder json = new StringBuilder(256)
        .append("{\"version\":2,\"width\":").append(width).append(",\"height\":").append(height)
        .append(",\"timestamp\":").append(start.getEpochSecond())
        .append(",\"title\":");
    string(json, title).append(",\"command\":");
    string(json, command).append(",\"env\":{\"TERM\":\"xterm-256color\"}}\n");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] event(long nanos, String code, String data) {
    StringBuilder json = new StringBuilder(data.length() + 32).append('[')
        .append(String.format(Locale.ROOT, "%.6f", nanos / 1e9)).append(",\"").append(code).append("\",");
    string(json, data).append("]\n");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Appends {@code text} as a JSON string; every control character escaped, so one event is one line. */
  static StringBuilder string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"');
  }
}
