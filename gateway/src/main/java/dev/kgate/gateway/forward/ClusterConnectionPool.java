package dev.kgate.gateway.forward;

import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections from one event loop to one cluster's API server. Each event loop keeps its own pool,
 * so a request and its upstream connection share a thread and the pool needs no locks: every
 * method runs on {@code loop}.
 *
 * <p>The first connection offers ALPN {@code h2,http/1.1}. When the API server speaks HTTP/2,
 * ordinary requests are multiplexed as streams, and a connection takes no more streams than the
 * server's {@code SETTINGS_MAX_CONCURRENT_STREAMS} (every watch holds one for up to an hour, so
 * the pool opens more connections rather than queueing behind watches; PROTOCOLS.md §10). When it
 * speaks only HTTP/1.1, connections are kept alive and lent out one request at a time.
 */
final class ClusterConnectionPool {

  private static final Logger log = LoggerFactory.getLogger(ClusterConnectionPool.class);

  /** Streams assumed per connection until the server's SETTINGS say otherwise (API server default). */
  static final int DEFAULT_MAX_STREAMS = 100;
  /** Flow-control window per upstream stream: bounds what one response can buffer in the gateway. */
  static final int STREAM_WINDOW = 256 * 1024;

  private enum Protocol { UNKNOWN, HTTP2, HTTP1 }

  private final UpstreamTarget target;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelClass;
  private final List<H2Connection> h2 = new ArrayList<>();
  private final ArrayDeque<Channel> idleHttp1 = new ArrayDeque<>();
  private final ArrayDeque<Promise<UpstreamExchange>> waiters = new ArrayDeque<>();
  private Protocol protocol = Protocol.UNKNOWN;
  private int connecting;
  private boolean closed;

  ClusterConnectionPool(UpstreamTarget target, EventLoop loop, Class<? extends SocketChannel> channelClass) {
    this.target = target;
    this.loop = loop;
    this.channelClass = channelClass;
  }

  /** Lends an exchange; the future fails with {@link UpstreamFailures.UpstreamException}. */
  Future<UpstreamExchange> acquire() {
    Promise<UpstreamExchange> promise = loop.newPromise();
    if (closed) {
      promise.setFailure(new IllegalStateException("gateway is shutting down"));
      return promise;
    }
    if (protocol != Protocol.HTTP1) {
      H2Connection connection = connectionWithCapacity();
      if (connection != null) {
        openStream(connection, promise);
        return promise;
      }
    } else {
      Channel idle = pollIdle();
      if (idle != null) {
        promise.setSuccess(lend(idle));
        return promise;
      }
    }
    waiters.add(promise);
    if (protocol == Protocol.HTTP1 || connecting == 0) {
      connect();
    }
    return promise;
  }

  void close() {
    closed = true;
    // Copies: each channel's close listener removes it from these lists while we iterate.
    for (H2Connection c : List.copyOf(h2)) {
      c.channel.close();
    }
    for (Channel c : List.copyOf(idleHttp1)) {
      c.close();
    }
  }

  /**
   * Retires the pool after its cluster's definition changed: no new exchanges; idle connections
   * close now, busy ones when their last exchange ends, so open watches run to their natural end.
   */
  void retire() {
    closed = true;
    for (H2Connection c : List.copyOf(h2)) {
      if (c.reserved == 0) {
        c.channel.close();
      }
    }
    for (Channel c : List.copyOf(idleHttp1)) {
      c.close();
    }
  }

  private H2Connection connectionWithCapacity() {
    for (H2Connection c : h2) {
      if (c.canOpenStream()) {
        return c;
      }
    }
    return null;
  }

  private Channel pollIdle() {
    for (Channel c; (c = idleHttp1.pollLast()) != null; ) {
      if (c.isActive()) {
        return c;
      }
    }
    return null;
  }

  private void connect() {
    connecting++;
    boolean offerHttp2 = protocol != Protocol.HTTP1;
    Bootstrap bootstrap = new Bootstrap()
        .group(loop)
        .channel(channelClass)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) target.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            SslHandler tls = target.newSslHandler(ch.alloc(), offerHttp2);
            tls.setHandshakeTimeoutMillis(target.connectTimeout().toMillis());
            ch.pipeline().addLast("tls", tls);
          }
        });
    ChannelFuture connected = bootstrap.connect(target.host(), target.port());
    connected.addListener(f -> {
      if (!f.isSuccess()) {
        connectFailed(f.cause());
        return;
      }
      Channel ch = connected.channel();
      SslHandler tls = ch.pipeline().get(SslHandler.class);
      tls.handshakeFuture().addListener(h -> {
        if (!h.isSuccess()) {
          ch.close();
          connectFailed(h.cause());
        } else if (ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
          connecting--;
          http2Ready(ch);
        } else {
          connecting--;
          http1Ready(ch);
        }
      });
    });
  }

  private void connectFailed(Throwable cause) {
    connecting--;
    UpstreamFailures.UpstreamException failure =
        new UpstreamFailures.UpstreamException(UpstreamFailures.of(target, cause), cause);
    log.warn("cluster {}: connection to {} failed: {}", target.clusterName(), target.authority(), failure.getMessage());
    // Everyone waiting for this cluster learns at once; the next request tries again.
    for (Promise<UpstreamExchange> w; (w = waiters.poll()) != null; ) {
      w.tryFailure(failure);
    }
  }

  private void http2Ready(Channel ch) {
    protocol = Protocol.HTTP2;
    H2Connection connection = new H2Connection(ch);
    ch.pipeline().addLast("h2", Http2FrameCodecBuilder.forClient()
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW))
        .build());
    ch.pipeline().addLast("h2-mux", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
    ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, target.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    ch.pipeline().addLast("h2-state", connection);
    h2.add(connection);
    ch.closeFuture().addListener(f -> h2.remove(connection));
    serveWaiters();
  }

  private void http1Ready(Channel ch) {
    protocol = Protocol.HTTP1;
    ch.config().setAutoRead(false);
    ch.pipeline().addLast("http-codec", new HttpClientCodec());
    ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, target.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    ch.pipeline().addLast("http1-idle-close", new Http1IdleClose());
    ch.closeFuture().addListener(f -> idleHttp1.remove(ch));
    Promise<UpstreamExchange> waiter = waiters.poll();
    if (waiter == null || !waiter.trySuccess(lend(ch))) {
      giveBack(ch);
    }
    // Every other waiter needs its own HTTP/1.1 connection.
    for (int i = connecting; i < waiters.size(); i++) {
      connect();
    }
  }

  private void serveWaiters() {
    while (!waiters.isEmpty()) {
      H2Connection connection = connectionWithCapacity();
      if (connection == null) {
        if (connecting == 0) {
          connect();
        }
        return;
      }
      Promise<UpstreamExchange> waiter = waiters.poll();
      if (!waiter.isDone()) {
        openStream(connection, waiter);
      }
    }
  }

  private void openStream(H2Connection connection, Promise<UpstreamExchange> promise) {
    connection.reserved++;
    new Http2StreamChannelBootstrap(connection.channel)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInitializer<Http2StreamChannel>() {
          @Override
          protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast("http-codec", new Http2StreamFrameToHttpObjectCodec(false));
          }
        })
        .open()
        .addListener(f -> {
          if (!f.isSuccess()) {
            connection.reserved--;
            promise.tryFailure(new UpstreamFailures.UpstreamException(UpstreamFailures.of(target, f.cause()), f.cause()));
            return;
          }
          Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
          stream.closeFuture().addListener(c -> {
            connection.reserved--;
            if (closed && connection.reserved == 0) {
              connection.channel.close(); // a retired pool's last stream has ended
            }
            serveWaiters();
          });
          if (!promise.trySuccess(new StreamExchange(stream))) {
            stream.close();
          }
        });
  }

  private UpstreamExchange lend(Channel ch) {
    ch.attr(Http1IdleClose.IN_USE).set(Boolean.TRUE);
    return new Http1Exchange(ch);
  }

  private void giveBack(Channel ch) {
    ch.attr(Http1IdleClose.IN_USE).set(Boolean.FALSE);
    if (closed || !ch.isActive()) {
      ch.close();
      return;
    }
    Promise<UpstreamExchange> waiter;
    while ((waiter = waiters.poll()) != null) {
      if (waiter.trySuccess(lend(ch))) {
        return;
      }
    }
    idleHttp1.add(ch);
  }

  /** An HTTP/1.1 connection lent for one exchange. */
  private final class Http1Exchange implements UpstreamExchange {
    private final Channel channel;
    private boolean released;

    Http1Exchange(Channel channel) {
      this.channel = channel;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public boolean http2() {
      return false;
    }

    @Override
    public void release(boolean reusable) {
      if (released) {
        return;
      }
      released = true;
      if (reusable) {
        giveBack(channel);
      } else {
        channel.close();
      }
    }
  }

  /** One HTTP/2 stream; closing it resets the stream if it has not ended. */
  private static final class StreamExchange implements UpstreamExchange {
    private final Http2StreamChannel channel;

    StreamExchange(Http2StreamChannel channel) {
      this.channel = channel;
    }

    @Override
    public Channel channel() {
      return channel;
    }

    @Override
    public boolean http2() {
      return true;
    }

    @Override
    public void release(boolean reusable) {
      channel.close();
    }
  }

  /** Tracks one HTTP/2 connection: the server's stream limit, GOAWAY, and idleness. */
  private static final class H2Connection extends ChannelInboundHandlerAdapter {
    final Channel channel;
    int maxStreams = DEFAULT_MAX_STREAMS;
    int reserved;
    boolean goingAway;

    H2Connection(Channel channel) {
      this.channel = channel;
    }

    boolean canOpenStream() {
      return channel.isActive() && !goingAway && reserved < maxStreams;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http2SettingsFrame settings) {
        Long max = settings.settings().maxConcurrentStreams();
        if (max != null) {
          maxStreams = (int) Math.min(max, Integer.MAX_VALUE);
        }
      } else if (msg instanceof Http2GoAwayFrame) {
        // Streams already open finish; new requests go to a new connection (PROTOCOLS.md §10).
        goingAway = true;
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof IdleStateEvent && reserved == 0) {
        ctx.close();
        return;
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("upstream HTTP/2 connection error: {}", cause.toString());
      ctx.close();
    }
  }
}
