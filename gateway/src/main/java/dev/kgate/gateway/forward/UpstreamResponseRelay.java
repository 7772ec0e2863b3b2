package dev.kgate.gateway.forward;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
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

  /**
   * HTTP/2: the multiplexer hands a stream the GOAWAY whose last stream id is below its own, and a
   * REFUSED_STREAM reset arrives here too. Either way the API server never processed this request
   * (RFC 9113 §6.8, §8.7), so it may be sent again.
   */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2GoAwayFrame
        || evt instanceof Http2ResetFrame reset && reset.errorCode() == Http2Error.REFUSED_STREAM.code()) {
      forwarder.upstreamRefused();
    }
    ReferenceCountUtil.release(evt);
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
