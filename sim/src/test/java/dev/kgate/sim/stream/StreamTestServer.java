package dev.kgate.sim.stream;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the simulated cluster's front in protocol tests: plain HTTP/1.1 on loopback with
 * the front's pipeline names, handing pod subresource requests to {@link PodStreams}.
 */
final class StreamTestServer implements AutoCloseable {

  private static final Pattern POD_SUBRESOURCE =
      Pattern.compile("/api/v1/namespaces/([^/]+)/pods/([^/]+)/(exec|attach|portforward)");

  private final Channel channel;

  StreamTestServer(EventLoopGroup group, PodStreams streams) throws InterruptedException {
    channel = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast("http-codec", new HttpServerCodec())
                // Like SimCluster's body sink: an HTTP handler the upgrade must take out.
                .addLast("sim-sink", new ChannelInboundHandlerAdapter())
                .addLast("http-aggregator", new HttpObjectAggregator(1 << 20))
                .addLast("sim-front", new Front(streams));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }

  private static final class Front extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final PodStreams streams;

    Front(PodStreams streams) {
      super(false);
      this.streams = streams;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      Matcher matcher = POD_SUBRESOURCE.matcher(new QueryStringDecoder(request.uri()).path());
      if (matcher.matches()) {
        streams.handle(ctx, request, matcher.group(1), matcher.group(2), matcher.group(3));
        return;
      }
      request.release();
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
          Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
