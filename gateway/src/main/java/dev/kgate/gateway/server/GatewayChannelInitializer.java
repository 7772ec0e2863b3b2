package dev.kgate.gateway.server;

import dev.kgate.gateway.authn.AuthenticationHandler;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.http.ClientIdleHandler;
import dev.kgate.gateway.http.HandlerNames;
import dev.kgate.gateway.http.RejectionHandler;
import dev.kgate.gateway.http.RequestAdmissionHandler;
import dev.kgate.gateway.http.StrictHttpRequestDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes the client-side pipeline. Read top to bottom it is the request flow of DESIGN.md:
 * TLS, protocol (HTTP/2 by ALPN, else HTTP/1.1), edge checks, authentication, cluster selection,
 * rejection answers, forwarding. HTTP/2 streams and HTTP/1.1 connections run the same request
 * stages, because each HTTP/2 stream is a child channel speaking the same HTTP objects.
 */
final class GatewayChannelInitializer extends ChannelInitializer<SocketChannel> {

  private static final Logger log = LoggerFactory.getLogger(GatewayChannelInitializer.class);

  /** Largest body chunk the HTTP/1.1 decoder hands on; bounds per-read memory. */
  static final int MAX_CHUNK_SIZE = 64 * 1024;
  /** The name of the HTTP/2 codec in a connection's pipeline. */
  static final String HTTP2_CODEC = "h2";
  /**
   * How long a closing HTTP/2 connection waits for its open streams after GOAWAY; the server's own
   * shutdown deadline closes whatever is left before that.
   */
  static final long GRACEFUL_SHUTDOWN_MILLIS = 60_000;
  /** Concurrent streams one client connection may open. */
  static final int MAX_CLIENT_STREAMS = 250;

  private final Supplier<SslContext> tls;
  private final GatewayConfig.Limits limits;
  private final RequestStages stages;

  GatewayChannelInitializer(Supplier<SslContext> tls, GatewayConfig.Limits limits, RequestStages stages) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.stages = Objects.requireNonNull(stages, "stages");
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    stages.connections().accepted(ch);
    addTlsHandlers(ch);
  }

  private void addTlsHandlers(SocketChannel ch) {
    SslHandler sslHandler = tls.get().newHandler(ch.alloc());
    sslHandler.setHandshakeTimeoutMillis(limits.tlsHandshakeTimeout().toMillis());
    ch.pipeline().addLast(HandlerNames.TLS, sslHandler);
    ch.pipeline().addLast(HandlerNames.ALPN, new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
      @Override
      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
          addHttp2Handlers(ctx.pipeline());
        } else {
          // ALPN http/1.1, or no ALPN at all: kubectl's upgrade connections send none (PROTOCOLS.md §10).
          addHttp1Handlers(ctx.pipeline());
        }
      }

      @Override
      protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
      }
    });
  }

  private void addHttp1Handlers(ChannelPipeline p) {
    HttpDecoderConfig decoder = new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxInitialLineLength())
        .setMaxHeaderSize(limits.maxHeaderSize())
        .setMaxChunkSize(MAX_CHUNK_SIZE)
        .setStrictLineParsing(true);
    p.channel().config().setAutoRead(false);
    p.addLast(HandlerNames.HTTP_CODEC,
        new CombinedChannelDuplexHandler<>(new StrictHttpRequestDecoder(decoder), new HttpResponseEncoder()));
    p.addLast(HandlerNames.IDLE, new ClientIdleHandler(limits.clientIdleTimeout()));
    addRequestStages(p, false);
  }

  private void addHttp2Handlers(ChannelPipeline p) {
    Http2Settings settings = Http2Settings.defaultSettings()
        .maxConcurrentStreams(MAX_CLIENT_STREAMS)
        .maxHeaderListSize(limits.maxHeaderListSize());
    p.addLast(HTTP2_CODEC, Http2FrameCodecBuilder.forServer().initialSettings(settings)
        .gracefulShutdownTimeoutMillis(GRACEFUL_SHUTDOWN_MILLIS).build());
    p.addLast("h2-mux", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.config().setAutoRead(false);
        stream.pipeline().addLast(HandlerNames.HTTP_CODEC, new Http2StreamFrameToHttpObjectCodec(true));
        addRequestStages(stream.pipeline(), true);
      }
    }));
    p.addLast(HandlerNames.IDLE, new ClientIdleHandler(limits.clientIdleTimeout()));
  }

  private void addRequestStages(ChannelPipeline p, boolean http2) {
    p.addLast(HandlerNames.ADMISSION, new RequestAdmissionHandler(http2));
    p.addLast(HandlerNames.AUTHENTICATION, new AuthenticationHandler(stages.authenticator()));
    p.addLast(HandlerNames.GATEWAY_INFO, stages.gatewayInfo());
    p.addLast(HandlerNames.CLUSTER, stages.clusterSelection());
    p.addLast(HandlerNames.AUTHORIZATION, stages.authorization());
    p.addLast(HandlerNames.FAIR_USE, stages.fairUse());
    p.addLast(HandlerNames.AUDIT_GATE, stages.auditGate());
    p.addLast(HandlerNames.REJECTION, new RejectionHandler(stages.rejections()));
    p.addLast(HandlerNames.FORWARD, new ForwardingHandler(stages.pools(), stages.exchanges(), stages.sessions(),
        stages.bodyCapture()));
  }

}
