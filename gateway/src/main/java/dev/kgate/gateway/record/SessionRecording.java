package dev.kgate.gateway.record;

import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording of one exec or attach session, fed copies of the bytes the relay forwards in each
 * direction. It is a passive tap: it never delays, changes or holds the relayed bytes, and when it
 * cannot follow the protocol, or reaches its size limit, it writes a closing marker and stops
 * recording while the session goes on. All calls come from the session's event loop.
 *
 * <p>Events: stdin as {@code i} (unless input is not recorded), stdout and stderr both as {@code o}
 * (a terminal shows them mixed, and so does asciinema), resizes as {@code r}, and kgate's own
 * notes (the session's final Status, why the recording stopped) as {@code m} markers starting
 * with {@code kgate:}.
 */
public final class SessionRecording {

  private static final Logger log = LoggerFactory.getLogger(SessionRecording.class);

  /** Room kept below the size limit for the closing marker, so the file never exceeds it. */
  static final int MARKER_RESERVE = 512;
  private static final int MAX_CONTROL_TEXT = 4096;
  private static final Pattern WIDTH = Pattern.compile("\"Width\"\\s*:\\s*(\\d{1,5})");
  private static final Pattern HEIGHT = Pattern.compile("\"Height\"\\s*:\\s*(\\d{1,5})");

  /** How the relayed bytes are framed. */
  public enum Framing { WEBSOCKET, SPDY }

  private final String relativePath;
  private final CastFile file;
  private final long maxBytes;
  private final boolean recordInput;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final Instant start;
  private final String title;
  private final String command;
  private final WebSocketChannelTap clientFrames;
  private final WebSocketChannelTap serverFrames;
  private final SpdyStreamTap spdy;
  private final Map<SessionStream, Utf8Stream> text = new EnumMap<>(SessionStream.class);
  private final StringBuilder resize = new StringBuilder();
  private final StringBuilder status = new StringBuilder();
  private long written;
  private boolean headerWritten;
  private boolean stopped;
  private boolean finished;

  SessionRecording(String relativePath, CastFile file, Framing framing, long maxBytes, boolean recordInput,
      LongSupplier nanoTime, Instant start, String title, String command) {
    this.relativePath = relativePath;
    this.file = file;
    this.maxBytes = maxBytes;
    this.recordInput = recordInput;
    this.nanoTime = nanoTime;
    this.startNanos = nanoTime.getAsLong();
    this.start = start;
    this.title = title;
    this.command = command;
    SessionStream.Sink sink = this::data;
    if (framing == Framing.WEBSOCKET) {
      clientFrames = new WebSocketChannelTap(sink);
      serverFrames = new WebSocketChannelTap(sink);
      spdy = null;
    } else {
      clientFrames = null;
      serverFrames = null;
      spdy = new SpdyStreamTap(sink);
    }
  }

  /** Where the recording is, relative to the audit directory ({@code sessions/<user>/<audit-id>.cast}). */
  public String relativePath() {
    return relativePath;
  }

  /** Reads bytes the client sent; {@code buf} is neither changed nor retained. */
  public void fromClient(ByteBuf buf) {
    if (stopped) {
      return;
    }
    try {
      if (spdy != null) {
        spdy.fromClient(buf);
      } else {
        clientFrames.feed(buf);
      }
    } catch (Exception e) { // whatever it is, the session must not see it
      cannotFollow(e);
    }
  }

  /** Reads bytes the API server sent; {@code buf} is neither changed nor retained. */
  public void fromServer(ByteBuf buf) {
    if (stopped) {
      return;
    }
    try {
      if (spdy != null) {
        spdy.fromServer(buf);
      } else {
        serverFrames.feed(buf);
      }
    } catch (Exception e) { // whatever it is, the session must not see it
      cannotFollow(e);
    }
  }

  /** The session has ended: the final Status is noted and the file is closed. Idempotent. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (!stopped && status.length() > 0) {
      event(Asciicast.MARKER, "kgate: status " + status.toString().strip());
    }
    ensureHeader(80, 24);
    stopped = true;
    closeTaps();
    file.close();
  }

  private void data(SessionStream stream, byte[] data, int offset, int length) {
    switch (stream) {
      case STDIN -> {
        if (recordInput) {
          event(Asciicast.INPUT, decode(stream, data, offset, length));
        }
      }
      case STDOUT, STDERR -> event(Asciicast.OUTPUT, decode(stream, data, offset, length));
      case RESIZE -> resizeBytes(decode(stream, data, offset, length));
      case ERROR -> {
        String chunk = decode(stream, data, offset, length);
        status.append(chunk, 0, Math.min(chunk.length(), Math.max(0, MAX_CONTROL_TEXT - status.length())));
      }
    }
  }

  private String decode(SessionStream stream, byte[] data, int offset, int length) {
    return text.computeIfAbsent(stream, s -> new Utf8Stream()).decode(data, offset, length);
  }

  /** client-go writes {@code {"Width":W,"Height":H}} objects, split anyhow across frames. */
  private void resizeBytes(String chunk) {
    for (int i = 0; i < chunk.length(); i++) {
      char c = chunk.charAt(i);
      resize.append(c);
      if (c == '}') {
        Matcher w = WIDTH.matcher(resize);
        Matcher h = HEIGHT.matcher(resize);
        if (w.find() && h.find()) {
          int width = Integer.parseInt(w.group(1));
          int height = Integer.parseInt(h.group(1));
          ensureHeader(width, height);
          event(Asciicast.RESIZE, width + "x" + height);
        }
        resize.setLength(0);
      } else if (resize.length() > MAX_CONTROL_TEXT) {
        resize.setLength(0);
      }
    }
  }

  private void ensureHeader(int width, int height) {
    if (!headerWritten) {
      headerWritten = true;
      write(Asciicast.header(width, height, start, title, command));
    }
  }

  private void event(String code, String data) {
    if (stopped || data.isEmpty()) {
      return;
    }
    ensureHeader(80, 24);
    byte[] line = Asciicast.event(elapsed(), code, data);
    if (written + line.length > maxBytes - MARKER_RESERVE) {
      stop("the session reached the recording limit of " + maxBytes + " bytes");
      return;
    }
    if (!write(line)) {
      stop("the disk did not keep up with the session");
    }
  }

  private boolean write(byte[] line) {
    written += line.length;
    return file.append(line);
  }

  private void cannotFollow(Exception e) {
    log.debug("session recording {} stopped: {}", relativePath, e.toString());
    stop("the recording could not follow the session's protocol");
  }

  private void stop(String why) {
    if (!stopped) {
      ensureHeader(80, 24);
      write(Asciicast.event(elapsed(), Asciicast.MARKER, "kgate: recording stopped: " + why));
      stopped = true;
      closeTaps();
    }
  }

  private void closeTaps() {
    if (spdy != null) {
      spdy.close();
    }
  }

  private long elapsed() {
    return nanoTime.getAsLong() - startNanos;
  }
}
