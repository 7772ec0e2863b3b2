package dev.kgate.gateway.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpdyStreamTapTest {

  private final List<String> seen = new ArrayList<>();
  private final SpdyStreamTap tap = new SpdyStreamTap(
      (stream, data, offset, length) -> seen.add(stream + ":" + new String(data, offset, length, StandardCharsets.UTF_8)));
  /** Each side's encoder keeps its own zlib context for the whole connection, as spdystream does. */
  private final EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  private final EmbeddedChannel server = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

  @AfterEach
  void close() {
    tap.close();
    client.finishAndReleaseAll();
    server.finishAndReleaseAll();
  }

  private static SpdySynStreamFrame syn(int id, String type) {
    SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    syn.headers().set("streamtype", type);
    return syn;
  }

  private static DefaultSpdyDataFrame data(int id, String text, boolean last) {
    DefaultSpdyDataFrame data = new DefaultSpdyDataFrame(id, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    data.setLast(last);
    return data;
  }

  /** What {@code side} put on the wire for {@code frames}, fed to {@code into} in 3-byte pieces. */
  private void send(EmbeddedChannel side, boolean fromClient, Object... frames) {
    for (Object frame : frames) {
      side.writeOutbound(frame);
    }
    for (ByteBuf wire; (wire = side.readOutbound()) != null; ) {
      try {
        while (wire.isReadable()) {
          ByteBuf piece = wire.readSlice(Math.min(3, wire.readableBytes()));
          int before = piece.readerIndex();
          if (fromClient) {
            tap.fromClient(piece);
          } else {
            tap.fromServer(piece);
          }
          assertThat(piece.readerIndex()).as("the relayed bytes are not consumed").isEqualTo(before);
        }
      } finally {
        wire.release();
      }
    }
  }

  @Test
  void streamsAreNamedByTheirSynStreamAndDataIsFollowedInBothDirections() {
    send(client, true, syn(1, "error"), syn(3, "stdin"), syn(5, "stdout"), syn(7, "stderr"), syn(9, "resize"));
    send(server, false, new DefaultSpdySynReplyFrame(1), new DefaultSpdySynReplyFrame(3));
    send(client, true, data(3, "echo hi\n", false), data(9, "{\"Width\":90,\"Height\":20}\n", false),
        new DefaultSpdyPingFrame(1), data(3, "", true));
    send(server, false, data(5, "hi\n", false), data(7, "oops\n", true), data(1, "{\"status\":\"Success\"}", true));

    assertThat(seen).containsExactly("STDIN:echo hi\n", "RESIZE:{\"Width\":90,\"Height\":20}\n", "STDOUT:hi\n",
        "STDERR:oops\n", "ERROR:{\"status\":\"Success\"}");
  }

  @Test
  void dataOnAStreamNobodyNamedIsIgnored() {
    send(client, true, syn(1, "data"), data(1, "port-forward bytes", false), data(3, "unknown", false));

    assertThat(seen).isEmpty();
  }

  @Test
  void bytesThatAreNotSpdyCannotBeFollowed() {
    assertThatThrownBy(() -> tap.fromClient(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 0x07, 0, 1, 0, 0, 0, 0})))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("SPDY");
  }
}
