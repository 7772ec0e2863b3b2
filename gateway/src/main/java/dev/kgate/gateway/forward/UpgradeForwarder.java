package dev.kgate.gateway.forward;

import dev.kgate.gateway.http.ClientIdleHandler;
import dev.kgate.gateway.http.HandlerNames;
import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Responses;
import dev.kgate.audit.AuditAnnotations;
import dev.kgate.gateway.impersonate.UntrustedHeaders;
import dev.kgate.gateway.record.SessionRecording;
import dev.kgate.gateway.record.SessionRecordings;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * Forwards one upgrade request (WebSocket or SPDY: exec, attach, cp, port-forward) on a connection
 * of its own, never pooled, always HTTP/1.1. When the API server answers 101 both connections
 * become a blind byte relay; any other answer is passed back and both connections are closed
 * (kubectl then falls back from WebSocket to SPDY by itself, PROTOCOLS.md §2). Exec and attach
 * sessions are recorded by a tap on the relays when {@code audit.sessions} is on.
 */
final class UpgradeForwarder extends ChannelInboundHandlerAdapter {

  private static final String UPGRADE = "upgrade";

  private final ChannelHandlerContext client;
  private final ClusterRequest request;
  private final ForwardingHandler.ExchangeListener listener;
  private final SessionRecordings sessions;
  private boolean responseStarted;
  private boolean switched;
  private int status;

  private UpgradeForwarder(ChannelHandlerContext client, ClusterRequest request, ForwardingHandler.ExchangeListener listener,
      SessionRecordings sessions) {
    this.client = client;
    this.request = request;
    this.listener = listener;
    this.sessions = sessions;
  }

  static void start(ChannelHandlerContext client, ClusterRequest request, UpstreamPools pools,
      ArrayDeque<HttpContent> pending, ForwardingHandler.ExchangeListener listener, SessionRecordings sessions) {
    // Upgrade requests carry no body (kubectl sends Content-Length: 0); anything held is dropped.
    for (HttpContent c; (c = pending.poll()) != null; ) {
      c.release();
    }
    UpstreamTarget target = request.target();
    UpgradeForwarder forwarder = new UpgradeForwarder(client, request, listener, sessions);
    ClientIdleHandler.inFlight(client.channel(), +1);
    Bootstrap bootstrap = new Bootstrap()
        .group(client.channel().eventLoop())
        .channel(pools.channelClass())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) target.connectTimeout().toMillis())
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            SslHandler tls = target.newSslHandler(ch.alloc(), false);
            tls.setHandshakeTimeoutMillis(target.connectTimeout().toMillis());
            ch.pipeline().addLast(HandlerNames.TLS, tls);
            ch.pipeline().addLast(HandlerNames.HTTP_CODEC, new HttpClientCodec());
            ch.pipeline().addLast(UPGRADE, forwarder);
          }
        });
    bootstrap.connect(target.host(), target.port()).addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        forwarder.fail(UpstreamFailures.of(target, f.cause()));
        return;
      }
      Channel upstream = f.channel();
      client.channel().closeFuture().addListener(c -> {
        if (!forwarder.switched) {
          upstream.close();
        }
      });
      upstream.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
        if (!h.isSuccess()) {
          upstream.close();
          forwarder.fail(UpstreamFailures.of(target, h.cause()));
          return;
        }
        upstream.write(UpstreamRequests.head(request, false));
        upstream.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      });
    });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpResponse response && !responseStarted) {
      responseStarted = true;
      status = response.status().code();
      if (status == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        ReferenceCountUtil.release(msg);
        switchProtocols(ctx, response);
        return;
      }
      // Refused (403 from the cluster's RBAC, 400 for a missing subprotocol…): pass it back, then close.
      UntrustedHeaders.stripResponse(response.headers(), false);
      response.headers().set(Responses.AUDIT_ID, inbound().auditId());
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    boolean last = msg instanceof LastHttpContent;
    client.writeAndFlush(msg).addListener(f -> {
      if (last || !f.isSuccess()) {
        client.close();
        ctx.close();
      }
    });
    if (last) {
      listener.completed(request, status, 0, 0, null);
      done();
    }
  }

  private void switchProtocols(ChannelHandlerContext ctx, HttpResponse response) {
    switched = true;
    Channel upstream = ctx.channel();
    Channel downstream = client.channel();
    FullHttpResponse toClient = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        response.status(), Unpooled.EMPTY_BUFFER, response.headers().copy(),
        io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    UntrustedHeaders.stripResponse(toClient.headers(), true);
    toClient.headers().set(Responses.AUDIT_ID, inbound().auditId());
    client.writeAndFlush(toClient).addListener(f -> {
      if (!f.isSuccess()) {
        upstream.close();
      }
    });

    // Both HTTP codecs leave; whatever they still buffer flows into the relays, which hold it
    // until both sides are switched, so no byte is lost or reordered.
    SessionRecording recording = sessions == null ? null : sessions.start(request, response);
    RelayHandler toClientRelay = new RelayHandler(downstream, recording == null ? null : recording::fromServer);
    ChannelPipeline up = upstream.pipeline();
    up.addAfter(HandlerNames.HTTP_CODEC, HandlerNames.RELAY, toClientRelay);
    up.remove(this);
    up.remove(HandlerNames.HTTP_CODEC);

    RelayHandler toUpstreamRelay = new RelayHandler(upstream, recording == null ? null : recording::fromClient);
    ChannelPipeline down = downstream.pipeline();
    down.addAfter(HandlerNames.HTTP_CODEC, HandlerNames.RELAY, toUpstreamRelay);
    down.remove(HandlerNames.HTTP_CODEC);
    for (String stage : HandlerNames.REQUEST_STAGES) {
      if (down.get(stage) != null) {
        down.remove(stage);
      }
    }
    upstream.closeFuture().addListener(c -> {
      if (recording == null) {
        listener.completed(request, status, 0, 0, null);
      } else {
        recording.finish();
        listener.completed(request, status, 0, 0, null, Map.of(AuditAnnotations.SESSION, recording.relativePath()));
      }
      done();
    });
    toClientRelay.activate();
    toUpstreamRelay.activate();
  }

  private boolean finished;

  private void done() {
    if (!finished) {
      finished = true;
      ClientIdleHandler.inFlight(client.channel(), -1);
    }
  }

  private InboundRequest inbound() {
    return request.request().request();
  }

  private void fail(Failure failure) {
    listener.completed(request, dev.kgate.gateway.status.KubeStatus.httpStatus(failure).code(), 0, 0, failure);
    done();
    if (client.channel().isActive()) {
      Responses.fail(client, inbound(), failure, true);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!responseStarted) {
      fail(new Failure.UpstreamBadGateway("cluster \"" + request.target().clusterName()
          + "\" closed the connection before answering the upgrade", "upstream closed before 101"));
    } else if (!switched) {
      client.close();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!responseStarted) {
      fail(UpstreamFailures.of(request.target(), cause));
      responseStarted = true;
    }
    ctx.close();
  }
}
