package dev.kgate.gateway.http;

import dev.kgate.gateway.impersonate.UntrustedHeaders;
import dev.kgate.gateway.limits.ConnectionLimit;
import dev.kgate.gateway.route.Route;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first stage for every request, on HTTP/1.1 connections and HTTP/2 streams alike. It closes
 * the connection on anything the HTTP decoder could not frame unambiguously (oversized lines and
 * headers, Content-Length with Transfer-Encoding, conflicting lengths): after a framing error the
 * next request's boundary is unknown, so answering and reading on would let a smuggled request
 * through. It refuses client-sent {@code Impersonate-*} headers before anything else looks at the
 * request, assigns the audit id, and parses the route.
 */
public final class RequestAdmissionHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RequestAdmissionHandler.class);

  private final boolean http2;

  public RequestAdmissionHandler(boolean http2) {
    this.http2 = http2;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      ctx.read();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      closeOnFramingError(ctx, object.decoderResult());
      return;
    }
    if (!(msg instanceof HttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    HttpRequest head = request;
    DefaultLastHttpContent bodyOfFull = null;
    if (msg instanceof FullHttpRequest full) {
      // HTTP/2 HEADERS with END_STREAM arrive as one FullHttpRequest; split it so later stages
      // see the same shape (head, then contents) whatever the protocol.
      head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers().copy());
      bodyOfFull = new DefaultLastHttpContent(full.content().retain(), full.trailingHeaders().copy());
      full.release();
    }
    boolean upgrade = !http2 && isUpgrade(head);
    boolean bodyExpected = bodyOfFull == null && (http2 || HttpUtil.isTransferEncodingChunked(head)
        || HttpUtil.getContentLength(head, 0L) > 0);
    Route route = Route.of(head.uri());
    InboundRequest inbound = new InboundRequest(head, UUID.randomUUID().toString(), route,
        clientAddress(ctx), upgrade, bodyExpected, http2, Instant.now());

    String impersonation = UntrustedHeaders.impersonationHeader(head.headers());
    if (ConnectionLimit.isOver(ctx.channel())) {
      ctx.fireChannelRead(new Rejected(inbound, new Failure.TooManyRequests(
          "kgate is serving as many connections as it allows; kubectl retries after the delay by itself",
          "connection limit", 1, true)));
    } else if (impersonation != null) {
      ctx.fireChannelRead(new Rejected(inbound, new Failure.Forbidden(
          "kgate does not accept impersonation headers: your Kubernetes identity comes from your login."
              + " Remove --as/--as-group/--as-uid (and as-user settings in your kubeconfig) and retry",
          "client sent " + impersonation)));
    } else if (route instanceof Route.Refused refused) {
      ctx.fireChannelRead(new Rejected(inbound, new Failure.BadRequest(
          "kgate refused the request path: " + refused.reason(), refused.reason())));
    } else {
      ctx.fireChannelRead(inbound);
    }
    if (bodyOfFull != null) {
      ctx.fireChannelRead(bodyOfFull);
    }
  }

  private static boolean isUpgrade(HttpRequest head) {
    String upgrade = head.headers().get(HttpHeaderNames.UPGRADE);
    if (upgrade == null) {
      return false;
    }
    String u = upgrade.toLowerCase(Locale.ROOT);
    return (u.equals("websocket") || u.startsWith("spdy/"))
        && head.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  private static String clientAddress(ChannelHandlerContext ctx) {
    java.net.SocketAddress address = ctx.channel().remoteAddress();
    if (address == null && ctx.channel().parent() != null) {
      address = ctx.channel().parent().remoteAddress();
    }
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return "unknown";
  }

  private void closeOnFramingError(ChannelHandlerContext ctx, DecoderResult result) {
    Throwable cause = result.cause();
    log.debug("closing connection from {}: malformed request ({})", clientAddress(ctx), String.valueOf(cause));
    Failure failure = new Failure.BadRequest(
        "kgate could not read the request: " + describe(cause), String.valueOf(cause));
    FullHttpResponse response = KubeStatus.response(ctx.alloc(), failure);
    if (cause instanceof TooLongFrameException) {
      response.setStatus(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    }
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.channel().config().setAutoRead(false);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  private static String describe(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      return "the request line or headers are too large";
    }
    if (cause instanceof IllegalArgumentException && cause.getMessage() != null
        && cause.getMessage().contains("Transfer-Encoding")) {
      return "ambiguous message framing (Content-Length with Transfer-Encoding)";
    }
    return "malformed HTTP request";
  }
}
