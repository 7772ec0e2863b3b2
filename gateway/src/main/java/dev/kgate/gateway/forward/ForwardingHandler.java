package dev.kgate.gateway.forward;

import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Responses;
import dev.kgate.gateway.impersonate.UntrustedHeaders;
import dev.kgate.gateway.record.SessionRecordings;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one request at a time to the cluster and its response back, never aggregating: each
 * chunk is read from one side only after the previous one was written to the other (and the
 * receiving side can take more), so a 200 MB list or an hour-long watch costs a few buffers, not
 * its size. Upgrades (exec, attach, port-forward) are handed to {@link UpgradeForwarder}.
 *
 * <p>The end of every answer waits for its record: from the point where the client would hold
 * the whole answer (the last chunk; for an HTTP/1.1 response with a {@code Content-Length}, the
 * chunk that completes it), what the cluster sends is held back until {@link
 * ExchangeListener#ending} lets it go, which the audit recorder does once the exchange's event
 * is durable. A gateway killed at any moment has then recorded every answer a client received;
 * the cost is one audit group commit per request.
 */
public final class ForwardingHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ForwardingHandler.class);

  private final UpstreamPools pools;
  private final ExchangeListener listener;
  private final SessionRecordings sessions;
  private final BodyCapture capture;
  private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
  /** The end of the current answer, waiting for its record. */
  private final ArrayDeque<HttpObject> held = new ArrayDeque<>();

  private ChannelHandlerContext ctx;
  private ClusterRequest current;
  /** The copies of the current exchange's bodies its audit level asks for. */
  private ExchangeBodies bodies = ExchangeBodies.NONE;
  private UpstreamExchange exchange;
  private boolean requestEnded;
  /** The API server said it never processed the current request (GOAWAY, REFUSED_STREAM). */
  private boolean refusedByUpstream;
  /** The current request was already sent a second time. */
  private boolean sentAgain;
  private boolean responseStarted;
  private boolean responseEnded;
  private boolean responseReceived;
  private boolean wantClientRead;
  private boolean wantUpstreamRead;
  private boolean closeClientAfterResponse;
  private long requestBytes;
  private long responseBytes;
  private int responseCode;
  /** Response body bytes after which an HTTP/1.1 client holds the whole answer; -1: only its last chunk ends it. */
  private long answerEndsAt;
  private boolean holding;

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
    this(pools, listener, null);
  }

  /** @param sessions records exec and attach sessions; null when recording is off */
  public ForwardingHandler(UpstreamPools pools, ExchangeListener listener, SessionRecordings sessions) {
    this(pools, listener, sessions, BodyCapture.NONE);
  }

  /**
   * @param sessions records exec and attach sessions; null when recording is off
   * @param capture  which bodies of each exchange are copied for its audit record
   */
  public ForwardingHandler(UpstreamPools pools, ExchangeListener listener, SessionRecordings sessions,
      BodyCapture capture) {
    this.pools = Objects.requireNonNull(pools, "pools");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.sessions = sessions;
    this.capture = Objects.requireNonNull(capture, "capture");
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
      bodies.requestChunk(content.content(), requestEnded); // a copy, before the chunk is passed on
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
    refusedByUpstream = false;
    sentAgain = false;
    responseStarted = false;
    responseEnded = false;
    responseReceived = false;
    requestBytes = 0;
    responseBytes = 0;
    responseCode = 0;
    answerEndsAt = -1;
    holding = false;
    InboundRequest inbound = request.request().request();
    closeClientAfterResponse = !inbound.http2() && !HttpUtil.isKeepAlive(inbound.head());
    listener.started(request, ctx.channel());
    if (inbound.upgrade()) {
      bodies = ExchangeBodies.NONE; // a stream of frames, not a body: no level records it
      UpgradeForwarder.start(ctx, request, pools, pending, listener, sessions);
      current = null;
      return;
    }
    bodies = capture.start(request);
    bodies.requestHead(inbound.head());
    acquireExchange(request);
  }

  private void acquireExchange(ClusterRequest request) {
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
      answerEndsAt = answerEndsAt(response);
      bodies.responseHead(response);
    }
    boolean last = msg instanceof LastHttpContent;
    if (msg instanceof HttpContent content) {
      responseBytes += content.content().readableBytes();
      bodies.responseChunk(content.content(), last); // a copy, before the chunk is written or held
    }
    responseReceived |= last;
    UpstreamExchange source = exchange;
    if (holding || last || (answerEndsAt >= 0 && responseBytes >= answerEndsAt)) {
      holding = true;
      held.add(msg);
      if (last) {
        responseComplete(source);
      } else {
        source.channel().read(); // on to the upstream's end of the response
      }
      return;
    }
    ctx.write(msg).addListener(f -> {
      if (!f.isSuccess()) {
        if (exchange == source) {
          abort();
        }
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

  /**
   * The body length after which an HTTP/1.1 client has the whole answer and reads no further:
   * its {@code Content-Length}, or 0 for an answer without a body; -1 when only the end of the
   * chunked encoding (or of an HTTP/2 stream) tells it, which the last chunk carries.
   */
  private long answerEndsAt(HttpResponse response) {
    InboundRequest inbound = current.request().request();
    if (inbound.http2() || HttpUtil.isTransferEncodingChunked(response)) {
      return -1;
    }
    if (!mayHaveBody(response.status().code()) || HttpMethod.HEAD.equals(inbound.head().method())) {
      return 0;
    }
    return HttpUtil.getContentLength(response, -1L);
  }

  private static boolean mayHaveBody(int code) {
    return code >= 200 && code != 204 && code != 304;
  }

  /** The cluster has sent all of its response: the held end goes to the client once it is recorded. */
  private void responseComplete(UpstreamExchange source) {
    responseEnded = true;
    boolean reusable = requestEnded && pending.isEmpty()
        && !source.channel().pipeline().get(UpstreamResponseRelay.class).upstreamWantsClose();
    finishExchange(reusable);
    ClusterRequest request = current;
    boolean wholeRequestRead = requestEnded;
    whenRecorded(request, listener.ending(request, responseCode, requestBytes, responseBytes, null, bodies),
        () -> sendHeld(request, wholeRequestRead));
  }

  private void sendHeld(ClusterRequest request, boolean wholeRequestRead) {
    ChannelFuture written = null;
    for (HttpObject msg; (msg = held.poll()) != null; ) {
      written = ctx.write(msg);
    }
    ctx.flush();
    if (written == null) {
      answered(request, wholeRequestRead);
      return;
    }
    written.addListener(f -> {
      if (current != request) {
        return;
      }
      if (!f.isSuccess()) {
        abort();
        return;
      }
      answered(request, wholeRequestRead);
    });
  }

  private void answered(ClusterRequest request, boolean wholeRequestRead) {
    releasePending(); // a chunk of the request read while the answer waited
    current = null;
    listener.completed(request, responseCode, requestBytes, responseBytes, null);
    boolean http2 = request.request().request().http2();
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

  /**
   * Runs {@code answer} on this channel's event loop once the listeners have recorded how the
   * exchange ended; when they could not (the audit log lost the event and the gateway fails
   * closed), the answer is withheld: the client's stream is reset or its connection closed, so it
   * never holds a complete answer nobody recorded.
   */
  private void whenRecorded(ClusterRequest request, CompletionStage<Boolean> recorded, Runnable answer) {
    recorded.whenComplete((send, error) -> {
      try {
        ctx.executor().execute(() -> {
          if (current != request) {
            return; // the client went away meanwhile; channelInactive has told the listeners
          }
          if (error == null && Boolean.TRUE.equals(send)) {
            answer.run();
          } else {
            log.warn("answer to {} withheld: its audit event could not be recorded",
                request.request().request().auditId());
            abort();
          }
        });
      } catch (RejectedExecutionException e) {
        ctx.channel().close(); // the event loop is shutting down; channelInactive cleans up
      }
    });
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

  /** Called by the relay: the API server will not process the current request on this connection. */
  void upstreamRefused() {
    refusedByUpstream = true;
  }

  /** The upstream went away or failed before the response ended. */
  void upstreamFailed(Throwable cause) {
    if (exchange == null || responseReceived) {
      return; // an HTTP/2 stream closes as soon as both ends are done: not a failure
    }
    if (!responseStarted && maySendAgain()) {
      sendAgain(cause);
      return;
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

  /**
   * Whether a request whose connection failed before any answer may go to the API server once
   * more, on another connection. API servers close HTTP/2 connections on purpose
   * ({@code --goaway-chance}) and keep-alive connections race with their idle timeout; client-go
   * retries such requests, and so does the gateway rather than turn them into 502s. Only once,
   * only a request without a body that was read whole (nothing to replay but its head), and only
   * when the server said it never processed it, or the method is safe to repeat.
   */
  private boolean maySendAgain() {
    if (sentAgain || !requestEnded || requestBytes != 0) {
      return false;
    }
    HttpMethod method = current.request().request().head().method();
    return refusedByUpstream || HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
        || HttpMethod.OPTIONS.equals(method);
  }

  private void sendAgain(Throwable cause) {
    ClusterRequest request = current;
    log.debug("sending {} to cluster {} again on another connection: {}", request.request().request().auditId(),
        request.target().clusterName(), refusedByUpstream ? "the API server refused it unprocessed" : String.valueOf(cause));
    sentAgain = true;
    refusedByUpstream = false;
    finishExchange(false);
    pending.add(LastHttpContent.EMPTY_LAST_CONTENT); // the whole request was its head: send that again
    acquireExchange(request);
  }

  private void fail(Failure failure) {
    ClusterRequest request = current;
    releasePending();
    int status = KubeStatus.httpStatus(failure).code();
    whenRecorded(request, listener.ending(request, status, requestBytes, 0, failure, bodies),
        () -> answerWithFailure(request, status, failure));
  }

  private void answerWithFailure(ClusterRequest request, int status, Failure failure) {
    current = null;
    releasePending();
    listener.completed(request, status, requestBytes, 0, failure);
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
    releaseHeld();
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

  private void releaseHeld() {
    for (HttpObject msg; (msg = held.poll()) != null; ) {
      ReferenceCountUtil.release(msg);
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
    // Not held for its record like other ends: the shutdown sends GOAWAY right after this, and
    // an end that came later would be lost with the stream; the shutdown closes (and fsyncs) the
    // audit log last.
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
    releaseHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releasePending();
    releaseHeld();
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

    /**
     * As above, with annotations for the request's audit record (where its session recording is);
     * listeners that keep no record need not override it.
     */
    default void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure,
        Map<String, String> annotations) {
      completed(request, status, requestBytes, responseBytes, failure);
    }

    /** What {@link #ending} returns when the answer need not wait. */
    CompletionStage<Boolean> SEND = CompletableFuture.completedStage(true);

    /**
     * The exchange has ended and its client is about to get the end of its answer: the last
     * bytes of the response, or the gateway's own {@code Status}. The end is sent when the
     * returned stage completes with {@code true}, and withheld (stream reset, connection closed)
     * when it completes otherwise; {@link #completed} follows either way.
     * The audit recorder appends the exchange's event here and lets the answer go once the event
     * is durable. Runs on the client's event loop; the stage may complete on any thread.
     */
    default CompletionStage<Boolean> ending(ClusterRequest request, int status, long requestBytes,
        long responseBytes, Failure failure) {
      return SEND;
    }

    /**
     * As above, with the copies of the exchange's bodies its audit level asked for (what the
     * audit recorder writes as {@code requestObject} and {@code responseObject}); listeners that
     * keep no record need not override it.
     */
    default CompletionStage<Boolean> ending(ClusterRequest request, int status, long requestBytes,
        long responseBytes, Failure failure, ExchangeBodies bodies) {
      return ending(request, status, requestBytes, responseBytes, failure);
    }

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

        @Override
        public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes,
            Failure failure, Map<String, String> annotations) {
          first.completed(request, status, requestBytes, responseBytes, failure, annotations);
          second.completed(request, status, requestBytes, responseBytes, failure, annotations);
        }

        @Override
        public CompletionStage<Boolean> ending(ClusterRequest request, int status, long requestBytes,
            long responseBytes, Failure failure) {
          return ending(request, status, requestBytes, responseBytes, failure, ExchangeBodies.NONE);
        }

        @Override
        public CompletionStage<Boolean> ending(ClusterRequest request, int status, long requestBytes,
            long responseBytes, Failure failure, ExchangeBodies bodies) {
          CompletionStage<Boolean> a = first.ending(request, status, requestBytes, responseBytes, failure, bodies);
          CompletionStage<Boolean> b = second.ending(request, status, requestBytes, responseBytes, failure, bodies);
          return a == SEND ? b : b == SEND ? a : a.thenCombine(b, Boolean::logicalAnd);
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
