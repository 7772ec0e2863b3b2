package dev.kgate.gateway.http;

import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;

/** Writes the gateway's own error answers, always as a Kubernetes {@code Status}. */
public final class Responses {

  public static final String AUDIT_ID = "Audit-Id";

  private Responses() {}

  /**
   * Answers {@code request} with {@code failure}. On HTTP/1.1 the connection is closed afterwards
   * when the request body may not have been read completely (its end is then unknown). On an
   * HTTP/2 stream the stream ends with the response.
   */
  public static ChannelFuture fail(ChannelHandlerContext ctx, InboundRequest request, Failure failure,
      boolean requestComplete) {
    FullHttpResponse response = KubeStatus.response(ctx.alloc(), failure);
    response.headers().set(AUDIT_ID, request.auditId());
    boolean close = !request.http2() && (!requestComplete || request.upgrade());
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ChannelFuture written = ctx.writeAndFlush(response);
    if (close || (request.http2() && !requestComplete)) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
    return written;
  }
}
