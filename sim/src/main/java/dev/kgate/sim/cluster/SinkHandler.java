package dev.kgate.sim.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * {@code POST|PUT /sim/sink} ({@code "sim-sink"}, placed before the aggregator): consumes the
 * request body chunk by chunk without keeping it, and answers {@code {"bytes":N,"sha256":"…"}},
 * so upload streaming through a proxy can be checked for any size. Every other message passes
 * through untouched.
 */
final class SinkHandler extends ChannelInboundHandlerAdapter {

  static final String PATH = "/sim/sink";

  private final SimContext sim;
  private final String protocol;
  private HttpRequest head;
  private MessageDigest digest;
  private long bytes;

  SinkHandler(SimContext sim, String protocol) {
    this.sim = Objects.requireNonNull(sim, "sim");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (head == null && msg instanceof HttpRequest && isSink((HttpRequest) msg)) {
      HttpRequest request = (HttpRequest) msg;
      head = new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
      digest = SimBytes.newSha256();
      bytes = 0;
      if (HttpUtil.is100ContinueExpected(request)) {
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      }
    }
    if (head == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (msg instanceof HttpContent) {
        ByteBuf content = ((HttpContent) msg).content();
        bytes += content.readableBytes();
        for (ByteBuffer nio : content.nioBuffers()) {
          digest.update(nio);
        }
        if (msg instanceof LastHttpContent) {
          finish(ctx);
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void finish(ChannelHandlerContext ctx) {
    HttpRequest request = head;
    head = null;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!sim.recordAndAuthenticate(ctx.channel(), request, protocol, bytes)) {
      Responses.json(ctx, keepAlive, 401, KubeStatus.unauthorized());
      return;
    }
    String body = "{\"bytes\":" + bytes + ",\"sha256\":\"" + HexFormat.of().formatHex(digest.digest()) + "\"}";
    Responses.full(ctx, keepAlive, 200, Responses.JSON, body.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private static boolean isSink(HttpRequest request) {
    HttpMethod method = request.method();
    return (method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT))
        && new QueryStringDecoder(request.uri()).path().equals(PATH);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    head = null;
    ctx.fireChannelInactive();
  }

}
