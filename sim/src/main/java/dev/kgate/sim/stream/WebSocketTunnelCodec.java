package dev.kgate.sim.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * The WebSocket tunnel of {@code SPDY/3.1+portforward.k8s.io}: binary message payloads, in order,
 * form one byte stream whose message boundaries mean nothing (spdystream writes a frame's fields
 * as separate messages), so inbound payloads go up as plain bytes to the SPDY codec and every
 * buffer the codec writes goes down as one binary message. PINGs are answered here and a CLOSE is
 * answered and ends the connection.
 */
final class WebSocketTunnelCodec extends ChannelDuplexHandler {

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof WebSocketFrame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
        if (frame.content().isReadable()) {
          ctx.fireChannelRead(frame.content().retain());
        }
      } else if (frame instanceof PingWebSocketFrame) {
        ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
      } else if (frame instanceof CloseWebSocketFrame) {
        int status = ((CloseWebSocketFrame) frame).statusCode();
        ctx.writeAndFlush(new CloseWebSocketFrame(status < 0 ? 1000 : status, ""))
            .addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(frame);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf) {
      ctx.write(new BinaryWebSocketFrame((ByteBuf) msg), promise);
    } else {
      ctx.write(msg, promise);
    }
  }
}
