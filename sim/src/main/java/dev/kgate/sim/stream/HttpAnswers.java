package dev.kgate.sim.stream;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Refusals of an upgrade: a plain HTTP answer with a Status body, after which the connection stays
 * an HTTP/1.1 connection (or closes, if the client asked). For kubectl any non-101 answer to a
 * WebSocket upgrade means "fall back to SPDY".
 */
final class HttpAnswers {

  private HttpAnswers() {}

  static void refuse(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String message) {
    String reason = status.code() == 400 ? "BadRequest"
        : status.code() == 403 ? "Forbidden"
        : status.code() == 404 ? "NotFound"
        : "InternalError";
    byte[] body = KubeStatuses.failure(status.code(), reason, message).getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
