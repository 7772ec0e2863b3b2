package dev.kgate.sim.cluster;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * The front's pipeline: TLS, then by ALPN either HTTP/2 (a stream channel per request, each
 * converted to HTTP/1.x objects so one handler serves both) or HTTP/1.1, which is also what
 * clients that send no ALPN at all get (kubectl's upgrade connections, {@code DISABLE_HTTP2}).
 */
final class SimFrontInitializer extends ChannelInitializer<Channel> {

  static final String TLS = "tls";
  static final String HTTP_CODEC = "http-codec";
  static final String SINK = "sim-sink";
  static final String AGGREGATOR = "http-aggregator";
  static final String FRONT = "sim-front";
  static final String ALPN = "alpn";
  static final String H2_CODEC = "h2-codec";
  static final String H2_MULTIPLEX = "h2-multiplex";
  static final String H2_TO_HTTP = "h2-to-http";

  static final String HTTP_1_1 = "http/1.1";
  static final String H2 = "h2";

  static final int MAX_CONTENT_LENGTH = 64 * 1024 * 1024;

  private final SslContext sslContext;
  private final SimContext sim;
  private final int maxConcurrentStreams;

  SimFrontInitializer(SslContext sslContext, SimContext sim, int maxConcurrentStreams) {
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    this.sim = Objects.requireNonNull(sim, "sim");
    this.maxConcurrentStreams = maxConcurrentStreams;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel.pipeline().addLast(TLS, sslContext.newHandler(channel.alloc()));
    channel.pipeline().addLast(ALPN, new ProtocolSelector());
  }

  private final class ProtocolSelector extends ApplicationProtocolNegotiationHandler {

    ProtocolSelector() {
      super(ApplicationProtocolNames.HTTP_1_1);
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
      if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
        addHttp2Handlers(ctx.pipeline());
      } else {
        addHttp1Handlers(ctx.pipeline());
      }
    }
  }

  private void addHttp1Handlers(ChannelPipeline pipeline) {
    pipeline.addLast(HTTP_CODEC, new HttpServerCodec());
    pipeline.addLast(SINK, new SinkHandler(sim, HTTP_1_1));
    pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(MAX_CONTENT_LENGTH));
    pipeline.addLast(FRONT, new SimFrontHandler(sim, HTTP_1_1));
  }

  private void addHttp2Handlers(ChannelPipeline pipeline) {
    pipeline.addLast(H2_CODEC, Http2FrameCodecBuilder.forServer()
        .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
        .build());
    pipeline.addLast(H2_MULTIPLEX, new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
      @Override
      protected void initChannel(Http2StreamChannel stream) {
        stream.pipeline().addLast(H2_TO_HTTP, new Http2StreamFrameToHttpObjectCodec(true));
        stream.pipeline().addLast(SINK, new SinkHandler(sim, H2));
        stream.pipeline().addLast(AGGREGATOR, new HttpObjectAggregator(MAX_CONTENT_LENGTH));
        stream.pipeline().addLast(FRONT, new SimFrontHandler(sim, H2));
      }
    }));
  }
}
