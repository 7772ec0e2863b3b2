package dev.kgate.gateway.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * A TLS server on 127.0.0.1 and an ephemeral port that, after each handshake, records what was
 * negotiated and writes it to the client as one line: {@code <protocol> <alpn|-> <sni|-> <client
 * subject|->}. Handshake failures are recorded too, so tests can check the server's side.
 */
public final class TlsTestServer implements AutoCloseable {

  /** What the server saw in one handshake. */
  public record Handshake(
      boolean success, String protocol, String alpn, String sni, String clientSubject, Throwable cause) {
    String line() {
      return protocol + " " + dash(alpn) + " " + dash(sni) + " " + dash(clientSubject) + "\n";
    }

    private static String dash(String value) {
      return value == null || value.isEmpty() ? "-" : value.replace(' ', '_');
    }
  }

  private final EventLoopGroup group;
  private final Channel server;
  private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();

  public TlsTestServer(SslContext context) throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(context.newHandler(ch.alloc()), new Reporter());
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** The next handshake the server finished (or failed), waiting up to 10 s. */
  public Handshake nextHandshake() throws InterruptedException {
    Handshake handshake = handshakes.poll(10, TimeUnit.SECONDS);
    if (handshake == null) {
      throw new AssertionError("the server saw no handshake");
    }
    return handshake;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Reporter extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (!(event instanceof SslHandshakeCompletionEvent completion)) {
        ctx.fireUserEventTriggered(event);
        return;
      }
      if (!completion.isSuccess()) {
        handshakes.add(new Handshake(false, null, null, null, null, completion.cause()));
        ctx.close();
        return;
      }
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      SSLSession session = ssl.engine().getSession();
      Handshake handshake =
          new Handshake(
              true, session.getProtocol(), ssl.applicationProtocol(), sni(session), clientSubject(session), null);
      handshakes.add(handshake);
      ctx.writeAndFlush(Unpooled.copiedBuffer(handshake.line(), StandardCharsets.US_ASCII))
          .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private String sni(SSLSession session) {
      if (!(session instanceof ExtendedSSLSession extended)) {
        return null;
      }
      List<SNIServerName> names = extended.getRequestedServerNames();
      return names.isEmpty() ? null : ((SNIHostName) names.get(0)).getAsciiName();
    }

    private String clientSubject(SSLSession session) {
      try {
        Certificate[] chain = session.getPeerCertificates();
        return ((X509Certificate) chain[0]).getSubjectX500Principal().getName();
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }
  }
}
