package dev.kgate.sim.cluster;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import tools.jackson.databind.JsonNode;

/** Builds and writes the front's HTTP answers; used on the channel's event loop only. */
final class Responses {

  static final String JSON = "application/json";

  private Responses() {}

  static void json(ChannelHandlerContext ctx, boolean keepAlive, int status, JsonNode body) {
    full(ctx, keepAlive, status, JSON, Json.bytes(body));
  }

  static void full(ChannelHandlerContext ctx, boolean keepAlive, int status, String contentType, byte[] body) {
    FullHttpResponse response = new DefaultFullHttpResponse(
        HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    HttpUtil.setContentLength(response, body.length);
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response);
    }
  }

  /** The head of a streamed answer; the body follows as HttpContent, ended by LastHttpContent. */
  static HttpResponse streamHead(String contentType) {
    HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, private");
    HttpUtil.setTransferEncodingChunked(head, true);
    return head;
  }
}
