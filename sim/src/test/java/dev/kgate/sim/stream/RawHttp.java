package dev.kgate.sim.stream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One HTTP/1.1 exchange, for requests the server is expected to refuse. */
final class RawHttp {

  /** The answer, copied out of Netty buffers. */
  record Answer(int status, HttpHeaders headers, String body) {}

  private RawHttp() {}

  static Answer exchange(EventLoopGroup group, int port, FullHttpRequest request) throws Exception {
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    Channel channel = new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(1 << 20))
                .addLast(new SimpleChannelInboundHandler<FullHttpResponse>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
                    answer.complete(new Answer(response.status().code(), response.headers().copy(),
                        response.content().toString(StandardCharsets.UTF_8)));
                  }
                });
          }
        })
        .connect("127.0.0.1", port).sync().channel();
    try {
      channel.writeAndFlush(request);
      return answer.get(5, TimeUnit.SECONDS);
    } finally {
      channel.close().sync();
    }
  }
}
