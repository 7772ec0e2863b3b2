package dev.kgate.gateway.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin listener ({@code admin:} in the config): plain HTTP on its own port, loopback unless
 * configured otherwise, for the kubelet's probes and Prometheus. It never serves the Kubernetes
 * API and has no authentication, so keep it off networks users reach (the deploy NetworkPolicy
 * admits only monitoring).
 */
public final class AdminServer implements AutoCloseable {

  /** Admin requests are a GET line and a few headers. */
  private static final int MAX_REQUEST_BYTES = 8 * 1024;

  private final Channel channel;

  private AdminServer(Channel channel) {
    this.channel = channel;
  }

  public static AdminServer start(String address, int port, EventLoopGroup group,
      Class<? extends ServerChannel> channelType, List<HealthCheck> checks, Supplier<String> metrics)
      throws InterruptedException {
    List<HealthCheck> copy = List.copyOf(checks);
    Channel channel = new ServerBootstrap()
        .group(group)
        .channel(channelType)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new ReadTimeoutHandler(30))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(new AdminHandler(copy, metrics));
          }
        })
        .bind(address, port).sync().channel();
    return new AdminServer(channel);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
