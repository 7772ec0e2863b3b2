package dev.kgate.gateway.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Sits on the upstream exchange channel for the length of one exchange and hands what the API
 * server sends to the {@link ForwardingHandler} of the client that asked.
 */
final class UpstreamResponseRelay extends ChannelInboundHandlerAdapter {

  private final ForwardingHandler forwarder;
  private boolean upstreamWantsClose;

  UpstreamResponseRelay(ForwardingHandler forwarder) {
    this.forwarder = forwarder;
  }

  /** Whether the server asked to close the HTTP/1.1 connection after this response. */
  boolean upstreamWantsClose() {
    return upstreamWantsClose;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject object) {
      if (msg instanceof HttpResponse response) {
        upstreamWantsClose = !HttpUtil.isKeepAlive(response);
      }
      forwarder.onResponse(object);
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    forwarder.upstreamReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    forwarder.upstreamWritable();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    forwarder.upstreamFailed(null);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    forwarder.upstreamFailed(cause);
    ctx.close();
  }
}
