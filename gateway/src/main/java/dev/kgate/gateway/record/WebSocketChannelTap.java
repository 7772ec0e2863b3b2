package dev.kgate.gateway.record;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Reads one direction of a {@code *.channel.k8s.io} WebSocket session (RFC 6455 frames, masked
 * from the client) out of the relayed bytes, however TCP split them, and hands each message's
 * payload to its channel's stream. The first payload byte of a message names the channel; the
 * rest of the message, over any number of continuation frames, belongs to it. Memory is bounded:
 * the frame header (at most 14 bytes) and one scratch array; payloads are never buffered.
 * Control frames are skipped. What it cannot follow (an extension's RSV bit, an impossible length)
 * throws {@link IllegalStateException}, which stops the recording, never the session.
 */
final class WebSocketChannelTap {

  private static final int SCRATCH = 8192;

  private final SessionStream.Sink sink;
  private final byte[] header = new byte[14];
  private final byte[] scratch = new byte[SCRATCH];
  private final byte[] mask = new byte[4];
  private int headerRead;
  private boolean inPayload;
  private long payloadLeft;
  private long payloadPos;
  private boolean masked;
  private boolean control;
  /** The channel of the message in progress: -1 before its first payload byte, -2 outside a message. */
  private int channel = -2;

  WebSocketChannelTap(SessionStream.Sink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Reads {@code buf}'s readable bytes without moving its indices or retaining it. */
  void feed(ByteBuf buf) {
    int index = buf.readerIndex();
    int end = buf.writerIndex();
    while (index < end) {
      if (!inPayload) {
        index = readHeader(buf, index, end);
      } else {
        int n = (int) Math.min(end - index, payloadLeft);
        payload(buf, index, n);
        index += n;
        payloadLeft -= n;
      }
      if (inPayload && payloadLeft == 0) {
        inPayload = false;
      }
    }
  }

  private int readHeader(ByteBuf buf, int index, int end) {
    while (index < end) {
      header[headerRead++] = buf.getByte(index++);
      int needed = headerLength();
      if (headerRead == needed) {
        startFrame(needed);
        return index;
      }
    }
    return index;
  }

  /** How long the header is, as far as the bytes read so far tell. */
  private int headerLength() {
    if (headerRead < 2) {
      return 2;
    }
    int length7 = header[1] & 0x7f;
    int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
    return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
  }

  private void startFrame(int headerLength) {
    int opcode = header[0] & 0x0f;
    if ((header[0] & 0x70) != 0) {
      throw new IllegalStateException("a WebSocket extension is in use (RSV bits set)");
    }
    int length7 = header[1] & 0x7f;
    long length = length7;
    int at = 2;
    if (length7 == 126) {
      length = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
      at = 4;
    } else if (length7 == 127) {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = (length << 8) | (header[i] & 0xffL);
      }
      if (length < 0) {
        throw new IllegalStateException("impossible WebSocket frame length");
      }
      at = 10;
    }
    masked = (header[1] & 0x80) != 0;
    if (masked) {
      System.arraycopy(header, at, mask, 0, 4);
    }
    control = opcode >= 8;
    if (!control) {
      if (opcode == 1 || opcode == 2) {
        channel = -1; // a new message; its first payload byte is the channel
      } else if (opcode != 0 || channel == -2) {
        throw new IllegalStateException("unexpected WebSocket opcode " + opcode);
      }
    }
    headerRead = 0;
    payloadPos = 0;
    payloadLeft = length;
    inPayload = length > 0;
    if (headerLength != at + (masked ? 4 : 0)) {
      throw new IllegalStateException("WebSocket header misread");
    }
  }

  private void payload(ByteBuf buf, int index, int length) {
    if (control) {
      payloadPos += length;
      return;
    }
    while (length > 0) {
      int n = Math.min(length, SCRATCH);
      buf.getBytes(index, scratch, 0, n);
      if (masked) {
        for (int i = 0; i < n; i++) {
          scratch[i] ^= mask[(int) ((payloadPos + i) & 3)];
        }
      }
      payloadPos += n;
      int offset = 0;
      if (channel == -1) {
        channel = scratch[0] & 0xff;
        offset = 1;
      }
      SessionStream stream = SessionStream.ofChannel(channel);
      if (stream != null && n > offset) {
        sink.data(stream, scratch, offset, n - offset);
      }
      index += n;
      length -= n;
    }
  }
}
