package dev.kgate.gateway.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin listener's three answers, in the form Kubernetes components use: {@code /healthz}
 * (the process answers), {@code /readyz} (every check passes; {@code ?verbose} lists them as
 * {@code [+]name ok} / {@code [-]name failed: why}), and {@code /metrics} (Prometheus text).
 * Anything else is 404. Requests here are tiny and never forwarded, so aggregating them is fine.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final List<HealthCheck> checks;
  private final Supplier<String> metrics;

  AdminHandler(List<HealthCheck> checks, Supplier<String> metrics) {
    this.checks = checks;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    FullHttpResponse response;
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      response = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET\n", "text/plain; charset=utf-8");
    } else {
      response = switch (uri.path()) {
        case "/healthz", "/livez" -> text(ctx, HttpResponseStatus.OK, "ok\n", "text/plain; charset=utf-8");
        case "/readyz" -> readiness(ctx, uri.parameters().containsKey("verbose"));
        case "/metrics" -> text(ctx, HttpResponseStatus.OK, metrics.get(), PROMETHEUS_TEXT);
        default -> text(ctx, HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain; charset=utf-8");
      };
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse readiness(ChannelHandlerContext ctx, boolean verbose) {
    StringBuilder body = new StringBuilder();
    boolean ready = true;
    for (HealthCheck check : checks) {
      String problem = check.problem();
      if (problem == null) {
        body.append("[+]").append(check.name()).append(" ok\n");
      } else {
        ready = false;
        body.append("[-]").append(check.name()).append(" failed: ").append(problem).append('\n');
      }
    }
    // Like the API server: the list when asked for, or whenever something failed.
    String text = ready
        ? (verbose ? body + "readyz check passed\n" : "ok\n")
        : body + "readyz check failed\n";
    return text(ctx, ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, text,
        "text/plain; charset=utf-8");
  }

  private static FullHttpResponse text(ChannelHandlerContext ctx, HttpResponseStatus status, String text,
      String contentType) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ByteBuf body = ctx.alloc().buffer(bytes.length).writeBytes(bytes);
    FullHttpResponse response = new DefaultFullHttpResponse(io.netty.handler.codec.http.HttpVersion.HTTP_1_1, status, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
