package dev.kgate.gateway.server;

import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.TestPki;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test API server that turns away the first {@code refusals} requests it gets, the way real
 * servers do when they close connections on purpose: over HTTP/2 with a REFUSED_STREAM reset (the
 * request was not processed), over HTTP/1.1 by closing the connection without an answer (a
 * keep-alive connection timing out). Every later request gets 200 and a small {@code Status}.
 * It counts what it saw, so a test can tell how often the gateway sent a request.
 */
final class RefusingUpstream implements AutoCloseable {

  static final String BODY = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}";

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final AtomicInteger refusalsLeft;
  final AtomicInteger received = new AtomicInteger();

  RefusingUpstream(TestPki pki, boolean http2, int refusals) throws InterruptedException {
    IssuedCertificate certificate = pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    var tls = pki.serverSslContext(certificate, http2);
    refusalsLeft = new AtomicInteger(refusals);
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            if (http2) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(), new Http2Side());
            } else {
              ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Http1Side());
            }
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((java.net.InetSocketAddress) server.localAddress()).getPort();
  }

  private boolean refuseThisOne() {
    received.incrementAndGet();
    return refusalsLeft.getAndDecrement() > 0;
  }

  private final class Http2Side extends SimpleChannelInboundHandler<Http2StreamFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      // Answer once the request has ended: with its HEADERS, or with an (empty) last DATA frame.
      boolean ended = frame instanceof Http2HeadersFrame headers && headers.isEndStream()
          || frame instanceof Http2DataFrame data && data.isEndStream();
      if (!ended) {
        return;
      }
      if (refuseThisOne()) {
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM).stream(frame.stream()));
        return;
      }
      ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")
          .set(HttpHeaderNames.CONTENT_TYPE, "application/json")).stream(frame.stream()));
      ctx.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.copiedBuffer(BODY, StandardCharsets.UTF_8), true)
          .stream(frame.stream()));
    }
  }

  private final class Http1Side extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (refuseThisOne()) {
        ctx.close();
        return;
      }
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
          Unpooled.copiedBuffer(BODY, StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
      ctx.writeAndFlush(response);
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
