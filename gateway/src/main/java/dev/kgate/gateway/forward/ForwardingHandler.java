package dev.kgate.gateway.forward;

import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Responses;
import dev.kgate.gateway.impersonate.UntrustedHeaders;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one request at a time to the cluster and its response back, never aggregating: each
 * chunk is read from one side only after the previous one was written to the other (and the
 * receiving side can take more), so a 200 MB list or an hour-long watch costs a few buffers, not
 * its size. Upgrades (exec, attach, port-forward) are handed to {@link UpgradeForwarder}.
 */
public final class ForwardingHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ForwardingHandler.class);

  private final UpstreamPools pools;
  private final ExchangeListener listener;
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private ClusterRequest current;
  private UpstreamExchange exchange;
  private boolean requestEnded;
  private boolean responseStarted;
  private boolean responseEnded;
  private boolean responseReceived;
  private boolean wantClientRead;
  private boolean wantUpstreamRead;
  private boolean closeClientAfterResponse;
  private long requestBytes;
  private long responseBytes;
  private int responseCode;

  /**
   * The user event that asks a request channel to wind down for a graceful shutdown: an idle
   * HTTP/1.1 connection closes at once; a response in flight finishes and its connection closes
   * after it; a watch or a followed log ends cleanly where it stands (a normal end of stream, on
   * which client-go simply re-watches, on another replica).
   */
  public static final Object DRAIN = new Object() {
    @Override
    public String toString() {
      return "DRAIN";
    }
  };

  public ForwardingHandler(UpstreamPools pools, ExchangeListener listener) {
    this.pools = Objects.requireNonNull(pools, "pools");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ClusterRequest request) {
      start(request);
    } else if (msg instanceof HttpContent content && current != null) {
      requestBytes += content.content().readableBytes();
      if (content instanceof LastHttpContent) {
        requestEnded = true;
      }
      if (exchange == null) {
        pending.add(content);
      } else {
        sendUpstream(content);
      }
    } else {
      ReferenceCountUtil.release(msg); // e.g. the empty end of a request that was already answered
    }
  }

  private void start(ClusterRequest request) {
    current = request;
    requestEnded = false;
    responseStarted = false;
    responseEnded = false;
    responseReceived = false;
    requestBytes = 0;
    responseBytes = 0;
    responseCode = 0;
    InboundRequest inbound = request.request().request();
    closeClientAfterResponse = !inbound.http2() && !HttpUtil.isKeepAlive(inbound.head());
    listener.started(request, ctx.channel());
    if (inbound.upgrade()) {
      UpgradeForwarder.start(ctx, request, pools, pending, listener);
      current = null;
      return;
    }
    Future<UpstreamExchange> acquired = pools.acquire(ctx.channel().eventLoop(), request.target());
    if (acquired.isDone()) {
      exchangeReady(request, acquired);
    } else {
      acquired.addListener(f -> exchangeReady(request, acquired));
    }
  }

  private void exchangeReady(ClusterRequest request, Future<UpstreamExchange> acquired) {
    if (current != request) {
      if (acquired.isSuccess()) {
        acquired.getNow().release(false);
      }
      return;
    }
    if (!acquired.isSuccess()) {
      fail(UpstreamFailures.of(request.target(), acquired.cause()));
      return;
    }
    exchange = acquired.getNow();
    if (!ctx.channel().isActive()) {
      abort();
      return;
    }
    exchange.channel().pipeline().addLast("relay", new UpstreamResponseRelay(this));
    exchange.channel().write(UpstreamRequests.head(request, exchange.http2()));
    for (HttpContent content; (content = pending.poll()) != null; ) {
      exchange.channel().write(content);
    }
    exchange.channel().flush();
    exchange.channel().read();
    if (!requestEnded) {
      readMoreRequest();
    }
  }

  private void sendUpstream(HttpContent content) {
    UpstreamExchange target = exchange;
    target.channel().writeAndFlush(content).addListener(f -> {
      if (!f.isSuccess()) {
        log.debug("request body to {} failed: {}", current == null ? "?" : current.target().clusterName(), f.cause().toString());
        if (exchange == target) {
          target.channel().close();
        }
      } else if (!requestEnded && exchange == target) {
        readMoreRequest();
      }
    });
  }

  private void readMoreRequest() {
    if (exchange.channel().isWritable()) {
      ctx.read();
    } else {
      wantClientRead = true;
    }
  }

  /** Called by the relay on the upstream channel's event loop (the same as ours). */
  void upstreamWritable() {
    if (wantClientRead && exchange != null && exchange.channel().isWritable()) {
      wantClientRead = false;
      ctx.read();
    }
  }

  void onResponse(HttpObject msg) {
    if (exchange == null) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse response) {
      responseStarted = true;
      responseCode = response.status().code();
      prepareResponseHead(response);
    }
    if (msg instanceof HttpContent content) {
      responseBytes += content.content().readableBytes();
    }
    boolean last = msg instanceof LastHttpContent;
    responseReceived |= last;
    UpstreamExchange source = exchange;
    ctx.write(msg).addListener(f -> {
      if (!f.isSuccess()) {
        if (exchange == source) {
          abort();
        }
      } else if (last) {
        responseComplete(source);
      } else if (exchange == source) {
        if (ctx.channel().isWritable()) {
          source.channel().read();
        } else {
          wantUpstreamRead = true;
        }
      }
    });
  }

  /** The upstream finished a read burst: one flush for everything it produced. */
  void upstreamReadComplete() {
    ctx.flush();
  }

  private void prepareResponseHead(HttpResponse response) {
    InboundRequest inbound = current.request().request();
    UntrustedHeaders.stripResponse(response.headers(), false);
    response.headers().set(Responses.AUDIT_ID, inbound.auditId());
    if (!inbound.http2()) {
      if (!(response instanceof FullHttpResponse) && !HttpUtil.isContentLengthSet(response)
          && mayHaveBody(response.status().code())) {
        HttpUtil.setTransferEncodingChunked(response, true);
      }
      if (closeClientAfterResponse) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
    }
  }

  private static boolean mayHaveBody(int code) {
    return code >= 200 && code != 204 && code != 304;
  }

  private void responseComplete(UpstreamExchange source) {
    if (exchange != source) {
      return;
    }
    responseEnded = true;
    boolean reusable = requestEnded && pending.isEmpty()
        && !source.channel().pipeline().get(UpstreamResponseRelay.class).upstreamWantsClose();
    finishExchange(reusable);
    listener.completed(current, responseCode, requestBytes, responseBytes, null);
    boolean wholeRequestRead = requestEnded;
    boolean http2 = current.request().request().http2();
    current = null;
    if (!ctx.channel().isActive()) {
      return;
    }
    if (!wholeRequestRead) {
      // The rest of an unread body cannot be told apart from the next request (HTTP/1.1), and
      // an HTTP/2 stream whose upload is cut short must be reset: close either way.
      ctx.close();
    } else if (!http2) {
      if (closeClientAfterResponse) {
        ctx.close();
      } else {
        ctx.read(); // HTTP/1.1 keep-alive: the next request
      }
    }
  }

  private void finishExchange(boolean reusable) {
    UpstreamExchange done = exchange;
    exchange = null;
    wantClientRead = false;
    wantUpstreamRead = false;
    if (done != null) {
      if (done.channel().pipeline().get("relay") != null) {
        done.channel().pipeline().remove("relay");
      }
      done.release(reusable);
    }
  }

  /** The upstream went away or failed before the response ended. */
  void upstreamFailed(Throwable cause) {
    if (exchange == null || responseReceived) {
      return; // an HTTP/2 stream closes as soon as both ends are done: not a failure
    }
    if (!responseStarted) {
      Failure failure = UpstreamFailures.of(current.target(),
          cause != null ? cause : new java.io.IOException("the API server closed the connection before answering"));
      finishExchange(false);
      fail(failure);
    } else {
      log.debug("cluster {} ended the response early: {}", current.target().clusterName(), String.valueOf(cause));
      abort();
    }
  }

  private void fail(Failure failure) {
    ClusterRequest request = current;
    current = null;
    releasePending();
    listener.completed(request, KubeStatus.httpStatus(failure).code(), requestBytes, 0, failure);
    boolean complete = requestEnded;
    Responses.fail(ctx, request.request().request(), failure, complete).addListener(f -> {
      if (f.isSuccess() && complete && !request.request().request().http2() && !closeClientAfterResponse) {
        ctx.read();
      } else if (closeClientAfterResponse) {
        ctx.close();
      }
    });
  }

  /** Tears down both sides of a broken exchange. */
  private void abort() {
    ClusterRequest request = current;
    finishExchange(false);
    releasePending();
    current = null;
    if (request != null) {
      listener.completed(request, responseCode, requestBytes, responseBytes,
          new Failure.UpstreamBadGateway("the exchange was interrupted", "aborted"));
    }
    ctx.close();
  }

  private void releasePending() {
    for (HttpContent c; (c = pending.poll()) != null; ) {
      c.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == DRAIN) {
      drain();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private void drain() {
    closeClientAfterResponse = true;
    ClusterRequest request = current;
    if (request == null) {
      if (!(ctx.channel() instanceof Http2StreamChannel)) {
        ctx.close(); // an idle keep-alive connection
      }
      return;
    }
    if (!request.longRunning() || !responseStarted || responseEnded || request.request().request().upgrade()) {
      return; // an ordinary response finishes by itself; Connection: close follows it
    }
    finishExchange(false);
    responseEnded = true;
    current = null;
    listener.completed(request, responseCode, requestBytes, responseBytes, null);
    boolean http2 = request.request().request().http2();
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(f -> {
      if (!http2 || !f.isSuccess()) {
        ctx.close();
      }
    });
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable() && wantUpstreamRead && exchange != null) {
      wantUpstreamRead = false;
      exchange.channel().read();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (current != null) {
      ClusterRequest request = current;
      finishExchange(false);
      current = null;
      listener.completed(request, responseCode, requestBytes, responseBytes,
          responseEnded ? null : new Failure.BadRequest("client went away", "client closed the connection"));
    }
    releasePending();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePending();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client connection error: {}", cause.toString());
    ctx.close();
  }

  /** Tells interested parties (audit, metrics) how each forwarded exchange went. */
  public interface ExchangeListener {
    /** @param client the request's own channel (an HTTP/2 stream, or the HTTP/1.1 connection) */
    void started(ClusterRequest request, Channel client);

    /** @param failure null when the response was relayed completely */
    void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure);

    /** Tells {@code first}, then {@code second}. */
    static ExchangeListener both(ExchangeListener first, ExchangeListener second) {
      return new ExchangeListener() {
        @Override
        public void started(ClusterRequest request, Channel client) {
          first.started(request, client);
          second.started(request, client);
        }

        @Override
        public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
          first.completed(request, status, requestBytes, responseBytes, failure);
          second.completed(request, status, requestBytes, responseBytes, failure);
        }
      };
    }

    ExchangeListener NONE = new ExchangeListener() {
      @Override
      public void started(ClusterRequest request, Channel client) {}

      @Override
      public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {}
    };
  }
}
