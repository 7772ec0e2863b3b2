package dev.kgate.gateway.server;

import dev.kgate.auth.Authenticator;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.forward.UpstreamPools;
import dev.kgate.gateway.route.ClusterSelectionHandler;
import dev.kgate.gateway.tls.ServerTlsContexts;
import dev.kgate.gateway.upstream.UpstreamTargets;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NettyRuntime;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: the TLS listener, its event loops, the upstream pools and the
 * authenticator. {@link #start} returns once the port is bound; {@link #close} stops accepting,
 * closes connections and releases every resource.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  /** How long {@link #close} waits for event loops to finish their work. */
  static final long SHUTDOWN_QUIET_MILLIS = 100;
  static final long SHUTDOWN_TIMEOUT_MILLIS = 5_000;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final UpstreamPools pools;
  private final UpstreamTargets targets;
  private final ScheduledExecutorService background;
  private final AutoCloseable authenticatorResource;
  private final AtomicReference<SslContext> tls;

  private GatewayServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, UpstreamPools pools,
      UpstreamTargets targets, ScheduledExecutorService background, AutoCloseable authenticatorResource,
      AtomicReference<SslContext> tls) {
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
    this.pools = pools;
    this.targets = targets;
    this.background = background;
    this.authenticatorResource = authenticatorResource;
    this.tls = tls;
  }

  /** Starts a gateway that verifies tokens against the configured issuers. */
  public static GatewayServer start(GatewayConfig config) throws Exception {
    return builder(config).start();
  }

  public static Builder builder(GatewayConfig config) {
    return new Builder(config);
  }

  public int port() {
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.localAddress();
  }

  @Override
  public void close() {
    listener.close().syncUninterruptibly();
    pools.close();
    boss.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
    targets.close();
    background.shutdownNow();
    if (authenticatorResource != null) {
      try {
        authenticatorResource.close();
      } catch (Exception e) {
        log.debug("closing the authenticator failed: {}", e.toString());
      }
    }
    tls.set(null);
  }

  /** Options for tests and embedding; production uses {@link GatewayServer#start}. */
  public static final class Builder {
    private final GatewayConfig config;
    private Authenticator authenticator;
    private ForwardingHandler.ExchangeListener exchangeListener = ForwardingHandler.ExchangeListener.NONE;
    private int workerThreads = NettyRuntime.availableProcessors();

    private Builder(GatewayConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /** Uses this authenticator instead of one built from {@code config.issuers()}. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    public Builder exchangeListener(ForwardingHandler.ExchangeListener listener) {
      this.exchangeListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder workerThreads(int threads) {
      this.workerThreads = threads;
      return this;
    }

    public GatewayServer start() throws Exception {
      Transport transport = Transport.best();
      ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kgate-background");
        t.setDaemon(true);
        return t;
      });
      AtomicReference<SslContext> tls = new AtomicReference<>(ServerTlsContexts.forListener(config.listen().tls()));
      UpstreamTargets targets = UpstreamTargets.resolve(config.clusters(), background);
      Authenticator auth = authenticator;
      AutoCloseable authResource = null;
      if (auth == null) {
        dev.kgate.auth.oidc.OidcAuthenticator oidc = Authenticators.forIssuers(config.issuers());
        auth = oidc;
        authResource = oidc;
      }
      UpstreamPools pools = new UpstreamPools(transport.clientChannel());
      EventLoopGroup boss = transport.group(1, "kgate-accept");
      EventLoopGroup workers = transport.group(workerThreads, "kgate-io");
      try {
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new GatewayChannelInitializer(tls::get, config.limits(), auth,
                new ClusterSelectionHandler(targets::find), pools, exchangeListener));
        Channel channel = bootstrap.bind(config.listen().address(), config.listen().port()).sync().channel();
        log.info("kgate listening on https://{}:{} ({} transport, {} clusters)", config.listen().address(),
            ((InetSocketAddress) channel.localAddress()).getPort(), transport.name(), config.clusters().size());
        return new GatewayServer(boss, workers, channel, pools, targets, background, authResource, tls);
      } catch (Exception e) {
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        targets.close();
        background.shutdownNow();
        if (authResource != null) {
          authResource.close();
        }
        throw e;
      }
    }
  }
}
