package dev.kgate.sim.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;

/**
 * The SPDY/3 manners moby/spdystream expects of a server, shared by exec and port-forward: echo
 * the client's PINGs, answer each accepted stream with SYN_REPLY, refuse one with RST_STREAM.
 */
final class SpdyStreams {

  static final String STREAM_TYPE = "streamtype";

  private SpdyStreams() {}

  /** Answers a PING with the same id; returns whether {@code msg} was one. */
  static boolean answerPing(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof SpdyPingFrame)) {
      return false;
    }
    ctx.writeAndFlush(new DefaultSpdyPingFrame(((SpdyPingFrame) msg).id()));
    return true;
  }

  /**
   * Accepts a stream. The reply repeats the stream's type: Netty encodes an empty header block as
   * zero bytes, which spdystream cannot inflate, so a reply needs at least one header.
   */
  static void reply(ChannelHandlerContext ctx, int streamId, String streamType) {
    SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(streamId);
    reply.headers().set(STREAM_TYPE, streamType);
    ctx.writeAndFlush(reply);
  }

  /** Refuses a stream, as spdystream's {@code Reset} does (status CANCEL). */
  static void reset(ChannelHandlerContext ctx, int streamId) {
    ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.CANCEL));
  }
}
