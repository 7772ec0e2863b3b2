package dev.kgate.gateway.record;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads both directions of a SPDY/3.1 remote-command session out of the relayed bytes: the client's
 * SYN_STREAMs name each stream ({@code streamtype: stdin|stdout|stderr|error|resize}) and DATA
 * frames in either direction carry its bytes. Header blocks share one zlib context per direction
 * for the whole connection (PROTOCOLS.md §3), so each direction is decoded from its first byte by
 * its own Netty {@link SpdyFrameCodec}, run in an {@link EmbeddedChannel} on copies, as Netty's
 * own content decoders do. DATA payloads come out in chunks as they arrive; nothing waits for a
 * whole frame. A frame the codec rejects throws, which stops the recording, never the session.
 */
final class SpdyStreamTap implements AutoCloseable {

  /** Enough for any SYN_STREAM kubectl sends (one header); bigger header blocks are refused. */
  private static final int MAX_HEADER_BYTES = 8192;
  /** Streams remembered at most: kubectl opens five per session. */
  private static final int MAX_STREAMS = 64;

  private final SessionStream.Sink sink;
  private final Map<Integer, SessionStream> streams = new HashMap<>();
  private final EmbeddedChannel fromClient = decoder();
  private final EmbeddedChannel fromServer = decoder();
  private byte[] scratch = new byte[0];
  private boolean closed;

  SpdyStreamTap(SessionStream.Sink sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  private static EmbeddedChannel decoder() {
    return new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, 8192, MAX_HEADER_BYTES, 6, 15, 8));
  }

  /** Reads a copy of bytes the client sent; {@code buf} itself is untouched. */
  void fromClient(ByteBuf buf) {
    decode(fromClient, buf);
  }

  /** Reads a copy of bytes the API server sent; {@code buf} itself is untouched. */
  void fromServer(ByteBuf buf) {
    decode(fromServer, buf);
  }

  private void decode(EmbeddedChannel decoder, ByteBuf buf) {
    try {
      decoder.writeInbound(buf.retainedDuplicate());
    } catch (Exception e) { // the codec's SpdyProtocolException, rethrown unchecked by EmbeddedChannel
      throw new IllegalStateException("not a SPDY/3.1 frame: " + e.getMessage(), e);
    }
    for (Object frame; (frame = decoder.readInbound()) != null; ) {
      try {
        frame(frame);
      } finally {
        ReferenceCountUtil.release(frame);
      }
    }
  }

  private void frame(Object frame) {
    if (frame instanceof SpdySynStreamFrame syn) {
      SessionStream stream = SessionStream.ofStreamType(syn.headers().getAsString("streamtype"));
      if (stream != null) {
        if (streams.size() >= MAX_STREAMS) {
          throw new IllegalStateException("more SPDY streams than a remote-command session opens");
        }
        streams.put(syn.streamId(), stream);
      }
    } else if (frame instanceof SpdyDataFrame data) {
      SessionStream stream = streams.get(data.streamId());
      ByteBuf content = data.content();
      int length = content.readableBytes();
      if (stream != null && length > 0) {
        if (scratch.length < length) {
          scratch = new byte[length];
        }
        content.getBytes(content.readerIndex(), scratch, 0, length);
        sink.data(stream, scratch, 0, length);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    finish(fromClient);
    finish(fromServer);
  }

  private static void finish(EmbeddedChannel decoder) {
    try {
      decoder.finishAndReleaseAll();
    } catch (RuntimeException e) {
      decoder.releaseInbound(); // a half-read frame at the end: nothing more to record
    }
  }
}
