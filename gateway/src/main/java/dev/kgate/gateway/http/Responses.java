package dev.kgate.gateway.http;

import dev.kgate.gateway.route.Route;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.regex.Pattern;

/** Writes the gateway's own error answers, always as a Kubernetes {@code Status}. */
public final class Responses {

  public static final String AUDIT_ID = "Audit-Id";

  private static final Pattern DISCOVERY_PATH = Pattern.compile("/api(/[^/]+)?/?|/apis(/[^/]+){0,2}/?");

  private Responses() {}

  /**
   * Answers {@code request} with {@code failure}. On HTTP/1.1 the connection is closed afterwards
   * when the request body may not have been read completely (its end is then unknown). On an
   * HTTP/2 stream the stream ends with the response.
   */
  public static ChannelFuture fail(ChannelHandlerContext ctx, InboundRequest request, Failure failure,
      boolean requestComplete) {
    FullHttpResponse response = KubeStatus.response(ctx.alloc(), failure, isDiscovery(request.route()));
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

  /**
   * Answers {@code request} with 200 and a JSON body; an HTTP/1.1 connection then reads the next
   * request, an HTTP/2 stream ends.
   */
  public static ChannelFuture json(ChannelHandlerContext ctx, InboundRequest request, byte[] json) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
        ctx.alloc().buffer(json.length).writeBytes(json));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .set(HttpHeaderNames.CONTENT_LENGTH, json.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
        .set(AUDIT_ID, request.auditId());
    ChannelFuture written = ctx.writeAndFlush(response);
    if (!request.http2()) {
      written.addListener(f -> {
        if (f.isSuccess()) {
          ctx.read();
        }
      });
    }
    return written;
  }

  /**
   * Whether the request is one of client-go's discovery reads ({@code /api}, {@code /apis}, a
   * group or group-version root), which show an error body only when it is plain text.
   */
  static boolean isDiscovery(Route route) {
    if (!(route instanceof Route.ToCluster toCluster)) {
      return false;
    }
    String uri = toCluster.upstreamUri();
    int query = uri.indexOf('?');
    return DISCOVERY_PATH.matcher(query < 0 ? uri : uri.substring(0, query)).matches();
  }
}
