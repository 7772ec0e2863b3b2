package dev.kgate.gateway.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;

/**
 * Closes a pooled HTTP/1.1 upstream connection that sat idle in the pool. A connection lent out
 * is never closed for idleness: a quiet watch is still a watch.
 */
final class Http1IdleClose extends ChannelInboundHandlerAdapter {

  static final AttributeKey<Boolean> IN_USE = AttributeKey.valueOf("kgate.upstream.inUse");

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      if (!Boolean.TRUE.equals(ctx.channel().attr(IN_USE).get())) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (Boolean.TRUE.equals(ctx.channel().attr(IN_USE).get())) {
      ctx.fireExceptionCaught(cause);
    } else {
      ctx.close(); // an idle pooled connection has nobody to tell
    }
  }
}
