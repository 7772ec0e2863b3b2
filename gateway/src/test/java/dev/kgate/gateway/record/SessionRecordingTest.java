package dev.kgate.gateway.record;

import static dev.kgate.gateway.record.WebSocketChannelTapTest.frame;
import static dev.kgate.gateway.record.WebSocketChannelTapTest.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SessionRecordingTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant START = Instant.parse("2026-12-06T01:00:00Z");

  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private SessionRecording recording(long maxBytes, boolean stdin) {
    String relative = "sessions/alice-0123/6b1e5c1a-0000-4000-8000-000000000001.cast";
    return new SessionRecording(relative, new CastFile(dir.resolve(relative), Runnable::run),
        SessionRecording.Framing.WEBSOCKET, maxBytes, stdin, nanos::get, START, "kubectl exec payments/pay-0",
        "sh -c \"cat\"");
  }

  private static ByteBuf ws(boolean masked, int channel, String text) {
    return Unpooled.wrappedBuffer(frame(true, 2, message(channel, text), masked));
  }

  private List<String> lines() throws Exception {
    return Files.readAllLines(dir.resolve("sessions/alice-0123/6b1e5c1a-0000-4000-8000-000000000001.cast"));
  }

  private static JsonNode json(String line) {
    return JSON.readTree(line);
  }

  @Test
  void anExecSessionBecomesAnAsciicastWithInputOutputResizeAndTimes() throws Exception {
    SessionRecording recording = recording(1 << 20, true);
    recording.fromClient(ws(true, 4, "{\"Width\":120,\"Height\":40}"));
    nanos.addAndGet(250_000_000L);
    recording.fromClient(ws(true, 0, "echo hi\n"));
    nanos.addAndGet(500_000_000L);
    recording.fromServer(ws(false, 1, "hi\r\n\u001b[1m$ "));
    recording.fromServer(ws(false, 2, "warn\n"));
    recording.fromServer(ws(false, 3, "{\"metadata\":{},\"status\":\"Success\"}"));
    recording.finish();

    List<String> lines = lines();
    JsonNode header = json(lines.get(0));
    assertThat(header.get("version").asInt()).isEqualTo(2);
    assertThat(header.get("width").asInt()).as("the first resize sizes the terminal").isEqualTo(120);
    assertThat(header.get("height").asInt()).isEqualTo(40);
    assertThat(header.get("timestamp").asLong()).isEqualTo(START.getEpochSecond());
    assertThat(header.get("command").asString()).isEqualTo("sh -c \"cat\"");
    assertThat(lines.subList(1, lines.size())).hasSize(5);
    assertThat(lines.get(1)).isEqualTo("[0.000000,\"r\",\"120x40\"]");
    assertThat(lines.get(2)).isEqualTo("[0.250000,\"i\",\"echo hi\\n\"]");
    assertThat(json(lines.get(3)).get(2).asString()).isEqualTo("hi\r\n\u001b[1m$ ");
    assertThat(json(lines.get(3)).get(0).asDouble()).isEqualTo(0.75);
    assertThat(lines.get(4)).isEqualTo("[0.750000,\"o\",\"warn\\n\"]");
    assertThat(json(lines.get(5)).get(1).asString()).isEqualTo("m");
    assertThat(json(lines.get(5)).get(2).asString()).startsWith("kgate: status ").contains("Success");
  }

  @Test
  void theFileIsTheGatewaysAlone() throws Exception {
    SessionRecording recording = recording(1 << 20, true);
    recording.fromServer(ws(false, 1, "x"));
    recording.finish();

    Path file = dir.resolve(recording.relativePath());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
  }

  @Test
  void aCharacterSplitAcrossFramesIsJoined() throws Exception {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    SessionRecording recording = recording(1 << 20, true);
    recording.fromServer(Unpooled.wrappedBuffer(frame(true, 2, new byte[] {1, euro[0]}, false)));
    recording.fromServer(Unpooled.wrappedBuffer(frame(true, 2, new byte[] {1, euro[1], euro[2], '!'}, false)));
    recording.finish();

    assertThat(lines().stream().skip(1).map(l -> json(l).get(2).asString())).containsExactly("€!");
  }

  @Test
  void withoutStdinRecordingTheInputIsLeftOut() throws Exception {
    SessionRecording recording = recording(1 << 20, false);
    recording.fromClient(ws(true, 0, "s3cret\n"));
    recording.fromServer(ws(false, 1, "ok\n"));
    recording.finish();

    assertThat(String.join("\n", lines())).doesNotContain("s3cret").contains("ok\\n");
  }

  @Test
  void theSizeLimitEndsTheRecordingWithAMarkerAndKeepsTheFileUnderIt() throws Exception {
    long limit = 4096;
    SessionRecording recording = recording(limit, true);
    for (int i = 0; i < 200; i++) {
      recording.fromServer(ws(false, 1, "line " + i + " of a long output\n"));
    }
    recording.finish();

    Path file = dir.resolve(recording.relativePath());
    List<String> lines = lines();
    assertThat(Files.size(file)).isLessThanOrEqualTo(limit);
    assertThat(lines.get(lines.size() - 1)).contains("\"m\"").contains("recording stopped")
        .contains("limit of 4096 bytes");
    assertThat(lines).hasSizeGreaterThan(50).hasSizeLessThan(200);
  }

  @Test
  void bytesItCannotFollowStopTheRecordingNotTheCaller() throws Exception {
    SessionRecording recording = recording(1 << 20, true);
    recording.fromServer(ws(false, 1, "before\n"));
    byte[] compressed = frame(true, 2, message(1, "x"), false);
    compressed[0] |= 0x40;
    recording.fromServer(Unpooled.wrappedBuffer(compressed));
    recording.fromServer(ws(false, 1, "after\n"));
    recording.finish();

    String text = String.join("\n", lines());
    assertThat(text).contains("before").contains("could not follow").doesNotContain("after");
  }

  @Test
  void aSessionWithNoEventsStillLeavesAFileWithAHeader() throws Exception {
    SessionRecording recording = recording(1 << 20, true);
    recording.finish();
    recording.finish();

    assertThat(lines()).hasSize(1);
    assertThat(json(lines().get(0)).get("width").asInt()).isEqualTo(80);
  }
}
