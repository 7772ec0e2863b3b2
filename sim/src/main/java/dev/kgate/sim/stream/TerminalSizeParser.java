package dev.kgate.sim.stream;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the resize messages of a TTY session, {@code {"Width":100,"Height":30}} objects that
 * client-go writes one after another (each followed by a newline on SPDY, one per message on
 * WebSocket), however the bytes are split across frames.
 */
final class TerminalSizeParser {

  private static final int MAX_PENDING = 4096;

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final BiConsumer<Integer, Integer> onResize;

  TerminalSizeParser(BiConsumer<Integer, Integer> onResize) {
    this.onResize = onResize;
  }

  /** Consumes {@code data} (does not release it). */
  void feed(ByteBuf data) {
    while (data.isReadable()) {
      byte b = data.readByte();
      pending.write(b);
      if (b == '}') {
        parse(pending.toString(StandardCharsets.UTF_8));
        pending.reset();
      } else if (pending.size() > MAX_PENDING) {
        pending.reset();
      }
    }
  }

  private void parse(String text) {
    try {
      JsonNode size = KubeStatuses.json().readTree(text.trim());
      if (size.hasNonNull("Width") && size.hasNonNull("Height")) {
        onResize.accept(size.get("Width").asInt(), size.get("Height").asInt());
      }
    } catch (JacksonException e) {
      // A malformed resize message is dropped, as the kubelet logs and ignores it.
    }
  }
}
