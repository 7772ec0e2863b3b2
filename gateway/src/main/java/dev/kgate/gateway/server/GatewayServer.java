package dev.kgate.gateway.server;

import dev.kgate.audit.AuditLog;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.webhook.TeeAuditLog;
import dev.kgate.audit.webhook.WebhookOptions;
import dev.kgate.audit.webhook.WebhookSink;
import dev.kgate.auth.oidc.IssuerKeyStatus;
import dev.kgate.auth.oidc.OidcAuthenticator;
import dev.kgate.auth.Authenticator;
import dev.kgate.gateway.admin.AdminServer;
import dev.kgate.gateway.admin.ClusterReachability;
import dev.kgate.gateway.admin.HealthCheck;
import dev.kgate.gateway.audit.AuditGateHandler;
import dev.kgate.gateway.audit.AuditLevels;
import dev.kgate.gateway.audit.AuditRecorder;
import dev.kgate.gateway.authz.AccessPolicy;
import dev.kgate.gateway.authz.AuthorizationHandler;
import dev.kgate.gateway.authz.PolicyReloader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.info.GatewayInfoHandler;
import dev.kgate.gateway.forward.UpstreamPools;
import dev.kgate.gateway.limits.ConnectionLimit;
import dev.kgate.gateway.limits.FairUseHandler;
import dev.kgate.gateway.limits.UserLimits;
import dev.kgate.gateway.metrics.GatewayMetrics;
import dev.kgate.gateway.record.SessionRecordings;
import dev.kgate.gateway.reload.FileContentWatch;
import dev.kgate.gateway.route.ClusterSelectionHandler;
import dev.kgate.gateway.tls.ListenerCertificateReloader;
import dev.kgate.gateway.tls.ServerTlsContexts;
import dev.kgate.gateway.upstream.UpstreamTarget;
import dev.kgate.gateway.upstream.UpstreamTargets;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NettyRuntime;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
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
  /** How often the policy file and the listener certificate are looked at for changes. */
  static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofSeconds(2);

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel listener;
  private final UpstreamPools pools;
  private final AtomicReference<UpstreamTargets> targets;
  private final ScheduledExecutorService background;
  private final AutoCloseable authenticatorResource;
  private final AtomicReference<SslContext> tls;
  private final AuditLog ownedAuditLog;
  private final AccessPolicy policy;
  private final GatewayMetrics metrics;
  private final AdminServer admin;
  private final List<FileContentWatch> watches;
  private final ConnectionLimit connections;
  private final InFlight inFlight;
  private final AtomicBoolean draining;
  private final SessionRecordings sessions;
  private final AtomicBoolean closed = new AtomicBoolean();

  private GatewayServer(EventLoopGroup boss, EventLoopGroup workers, Channel listener, UpstreamPools pools,
      AtomicReference<UpstreamTargets> targets, ScheduledExecutorService background,
      AutoCloseable authenticatorResource,
      AtomicReference<SslContext> tls, AuditLog ownedAuditLog, AccessPolicy policy, GatewayMetrics metrics,
      AdminServer admin, List<FileContentWatch> watches, ConnectionLimit connections, InFlight inFlight,
      AtomicBoolean draining, SessionRecordings sessions) {
    this.boss = boss;
    this.workers = workers;
    this.listener = listener;
    this.pools = pools;
    this.targets = targets;
    this.background = background;
    this.authenticatorResource = authenticatorResource;
    this.tls = tls;
    this.ownedAuditLog = ownedAuditLog;
    this.policy = policy;
    this.metrics = metrics;
    this.admin = admin;
    this.watches = List.copyOf(watches);
    this.connections = connections;
    this.inFlight = inFlight;
    this.draining = draining;
    this.sessions = sessions;
  }

  /**
   * Stops gracefully: refuses new connections and turns {@code /readyz} to 503; closes idle
   * connections, lets responses in flight finish (their connections close after them, HTTP/2 ones
   * with GOAWAY), ends watches and followed logs cleanly so clients re-watch elsewhere; waits up to
   * {@code deadline} for the rest (exec and port-forward sessions included), then closes what
   * remains and the audit log, which writes and fsyncs every queued event.
   */
  public void shutdown(Duration deadline) {
    long until = System.nanoTime() + deadline.toNanos();
    draining.set(true);
    listener.close().syncUninterruptibly();
    log.info("kgate draining: {} connections, {} requests in flight", connections.open(), inFlight.count());
    for (Channel stream : policy.streams().channels()) {
      stream.pipeline().fireUserEventTriggered(ForwardingHandler.DRAIN);
    }
    for (Channel connection : connections.connections()) {
      if (connection.pipeline().get(GatewayChannelInitializer.HTTP2_CODEC) != null) {
        connection.close(); // HTTP/2: GOAWAY, then the codec waits for the open streams
      } else {
        connection.pipeline().fireUserEventTriggered(ForwardingHandler.DRAIN);
      }
    }
    while (inFlight.count() > 0 && System.nanoTime() < until) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.count() > 0) {
      log.warn("kgate shutdown deadline passed with {} requests in flight; closing them: {}", inFlight.count(),
          inFlight.describe());
    }
    close();
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

  /**
   * Looks at the policy file, the configuration's clusters and the listener certificate now
   * (SIGHUP) instead of at the next interval; changed ones are applied as on any reload.
   */
  public void reloadNow() {
    watches.forEach(FileContentWatch::checkNow);
  }

  /** The gateway's metrics, as {@code /metrics} serves them. */
  public GatewayMetrics metrics() {
    return metrics;
  }

  /** Where the admin listener listens, if one is configured. */
  public Optional<InetSocketAddress> adminAddress() {
    return Optional.ofNullable(admin).map(AdminServer::address);
  }

  /** The policy in force (empty without a policy file); reloads replace it. */
  public AccessPolicy policy() {
    return policy;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    draining.set(true);
    listener.close().syncUninterruptibly();
    for (Channel connection : connections.connections()) {
      if (connection.pipeline().get(GatewayChannelInitializer.HTTP2_CODEC) instanceof Http2ConnectionHandler h2) {
        h2.gracefulShutdownTimeoutMillis(0); // past the drain: no more waiting for streams
      }
      connection.close();
    }
    if (admin != null) {
      admin.close();
    }
    pools.close();
    boss.shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    workers.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .syncUninterruptibly();
    targets.get().close();
    background.shutdownNow();
    if (sessions != null) {
      sessions.close(); // every session has ended above: its recording's last lines are queued
    }
    if (authenticatorResource != null) {
      try {
        authenticatorResource.close();
      } catch (Exception e) {
        log.debug("closing the authenticator failed: {}", e.toString());
      }
    }
    tls.set(null);
    if (ownedAuditLog != null) {
      // Last: every exchange has ended above, so its event is queued; close writes and fsyncs it.
      ownedAuditLog.close();
    }
  }

  /** Options for tests and embedding; production uses {@link GatewayServer#start}. */
  public static final class Builder {
    private final GatewayConfig config;
    private Authenticator authenticator;
    private ForwardingHandler.ExchangeListener exchangeListener = ForwardingHandler.ExchangeListener.NONE;
    private int workerThreads = NettyRuntime.availableProcessors();
    private AuditLog auditLog;
    private Clock clock = Clock.systemUTC();
    private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
    private Path configFile;

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

    /** Records into this log (the caller closes it) instead of opening {@code config.audit().dir()}. */
    public Builder auditLog(AuditLog auditLog) {
      this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
      return this;
    }

    /** The clock of policy decisions (login freshness) and audit timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The file {@code config} was loaded from: its {@code clusters} are reloaded when it changes
     * (and on {@link GatewayServer#reloadNow}).
     */
    public Builder configFile(Path file) {
      this.configFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /** How often the policy file, the configuration and the listener certificate are looked at. */
    public Builder reloadInterval(Duration interval) {
      this.reloadInterval = Objects.requireNonNull(interval, "interval");
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
      AtomicReference<UpstreamTargets> targets =
          new AtomicReference<>(UpstreamTargets.resolve(config.clusters(), background));
      Authenticator auth = authenticator;
      AutoCloseable authResource = null;
      if (auth == null) {
        OidcAuthenticator oidc = Authenticators.forIssuers(config.issuers());
        auth = oidc;
        authResource = oidc;
      }
      AuditLog audit = auditLog;
      AuditLog ownedAudit = null;
      FileAuditLog fileLog = null;
      if (audit == null) {
        fileLog = openAuditLog(config.audit(), clock);
        audit = ownedAudit = withWebhook(fileLog, config.audit().webhook(), clock);
      }
      List<FileContentWatch> watches = new ArrayList<>();
      AccessPolicy policy = accessPolicy(background, watches);
      GatewayConfig.Tls listenTls = config.listen().tls();
      List<Path> tlsFiles = new ArrayList<>(List.of(listenTls.cert(), listenTls.key()));
      if (listenTls.clientCa() != null) {
        tlsFiles.add(listenTls.clientCa());
      }
      watches.add(FileContentWatch.start("listener certificate", tlsFiles,
          new ListenerCertificateReloader(listenTls, tls), background, reloadInterval));
      AuditLevels levels = AuditLevels.of(config.audit());
      AuditRecorder recorder = new AuditRecorder(audit, clock, config.audit().failClosed(), levels);
      GatewayMetrics metrics = new GatewayMetrics(name -> targets.get().find(name).isPresent(), clock)
          .watching(policy.streams());
      if (fileLog != null) {
        metrics.watching(fileLog);
      } else if (audit instanceof FileAuditLog given) {
        metrics.watching(given);
      }
      if (auth instanceof OidcAuthenticator oidc) {
        metrics.watchingKeys(oidc);
      }
      ChannelHandler auditGate = config.audit().failClosed() ? new AuditGateHandler(audit) : new PassThrough();
      UpstreamPools pools = new UpstreamPools(transport.clientChannel());
      if (configFile != null) {
        watches.add(FileContentWatch.start("configuration", List.of(configFile),
            new ClusterReloader(configFile, config, targets, pools, background), background, reloadInterval));
      }
      UserLimits userLimits = new UserLimits(config.limits().perUser(), System::nanoTime);
      InFlight inFlight = new InFlight();
      ConnectionLimit connections = new ConnectionLimit(config.limits().maxConnections());
      AtomicBoolean draining = new AtomicBoolean();
      GatewayConfig.Sessions recording = config.audit().sessions();
      SessionRecordings sessions = recording.enabled()
          ? new SessionRecordings(config.audit().dir(), recording.maxBytes(), recording.stdin(), clock) : null;
      ClusterReachability reachability = new ClusterReachability(() -> targets.get().all().stream()
          .map(UpstreamTarget::clusterName).collect(Collectors.toSet()));
      GatewayInfoHandler gatewayInfo = new GatewayInfoHandler(config.issuers(), targets::get, policy, recorder,
          Optional.ofNullable(GatewayServer.class.getPackage().getImplementationVersion()).orElse("dev"));
      RequestStages stages = new RequestStages(auth, gatewayInfo,
          new ClusterSelectionHandler(name -> targets.get().find(name)),
          new AuthorizationHandler(policy), new FairUseHandler(userLimits), auditGate,
          rejected -> {
            metrics.accept(rejected);
            userLimits.accept(rejected);
            return recorder.record(rejected);
          }, pools,
          ForwardingHandler.ExchangeListener.both(
              ForwardingHandler.ExchangeListener.both(recorder, metrics),
              ForwardingHandler.ExchangeListener.both(
                  ForwardingHandler.ExchangeListener.both(policy.streams(), userLimits),
                  ForwardingHandler.ExchangeListener.both(inFlight,
                      ForwardingHandler.ExchangeListener.both(reachability, exchangeListener)))),
          connections, sessions, levels);
      EventLoopGroup boss = transport.group(1, "kgate-accept");
      EventLoopGroup workers = transport.group(workerThreads, "kgate-io");
      try {
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(boss, workers)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(new GatewayChannelInitializer(tls::get, config.limits(), stages));
        Channel channel = bootstrap.bind(config.listen().address(), config.listen().port()).sync().channel();
        AdminServer admin = null;
        if (config.admin() != null) {
          AuditLog auditForReadiness = audit;
          List<HealthCheck> checks = new ArrayList<>(List.of(
              new HealthCheck("shutdown", () -> draining.get() ? "the gateway is shutting down" : null),
              new HealthCheck("audit", () -> auditForReadiness.writable() ? null : "the audit log cannot be written")));
          checks.add(reachability.check());
          if (auth instanceof OidcAuthenticator oidc) {
            checks.add(new HealthCheck("oidc-keys", () -> oidc.keysLoaded() ? null
                : "the signing keys of " + oidc.keyStatus().stream().filter(k -> !k.loaded())
                    .map(IssuerKeyStatus::issuer).toList() + " are not loaded"));
          }
          admin = AdminServer.start(config.admin().address(), config.admin().port(), workers,
              transport.serverChannel(), checks, metrics::scrape);
          log.info("kgate admin listener on http://{}:{} (/healthz, /readyz, /metrics)",
              config.admin().address(), admin.address().getPort());
        }
        log.info("kgate listening on https://{}:{} ({} transport, {} clusters)", config.listen().address(),
            ((InetSocketAddress) channel.localAddress()).getPort(), transport.name(), config.clusters().size());
        return new GatewayServer(boss, workers, channel, pools, targets, background, authResource, tls,
            ownedAudit, policy, metrics, admin, watches, connections, inFlight, draining, sessions);
      } catch (Exception e) {
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        targets.get().close();
        background.shutdownNow();
        if (authResource != null) {
          authResource.close();
        }
        if (ownedAudit != null) {
          ownedAudit.close();
        }
        if (sessions != null) {
          sessions.close();
        }
        throw e;
      }
    }

    private AccessPolicy accessPolicy(ScheduledExecutorService background, List<FileContentWatch> watches) {
      GatewayConfig.PolicySource source = config.policy();
      if (source == null) {
        log.warn("no policy file configured: every authenticated person is forwarded with their own"
            + " groups and only the clusters' RBAC decides what they may do");
        return AccessPolicy.none();
      }
      AccessPolicy policy = AccessPolicy.of(source.policy(), clock);
      // Cancelled with the background executor on close.
      watches.add(FileContentWatch.start("policy", List.of(source.file()),
          new PolicyReloader(source.file(), policy), background, reloadInterval));
      return policy;
    }

    private static AuditLog withWebhook(FileAuditLog fileLog, GatewayConfig.Webhook webhook, Clock clock) {
      if (webhook == null) {
        return fileLog;
      }
      WebhookOptions options = WebhookOptions.defaults(webhook.url(), webhook.spoolDir())
          .withBatchMaxEvents(webhook.batchMaxEvents())
          .withBatchMaxDelay(webhook.batchMaxDelay())
          .withSpoolMaxBytes(webhook.spoolMaxBytes())
          .withClock(clock);
      if (webhook.ca() != null) {
        options = options.withCaFile(webhook.ca());
      }
      if (webhook.tokenFile() != null) {
        options = options.withTokenFile(webhook.tokenFile());
      }
      // Only events the file log wrote are sent; a down receiver fills the spool, not the gap.
      return new TeeAuditLog(fileLog, WebhookSink.open(options));
    }

    private static FileAuditLog openAuditLog(GatewayConfig.Audit audit, Clock clock) {
      FileAuditLog.Options options = FileAuditLog.Options.defaults(audit.dir())
          .withFsyncInterval(audit.fsyncInterval())
          .withRetention(audit.retention())
          .withClock(clock);
      if (audit.signingKey() != null) {
        options = options.withSigningKey(audit.signingKey());
      }
      FileAuditLog log = FileAuditLog.open(options);
      if (!log.writable()) {
        GatewayServer.log.error("audit directory {} cannot be written{}", audit.dir(), audit.failClosed()
            ? ": requests are refused until it can (audit.failClosed)"
            : "; audit.failClosed is false, so requests go ahead UNAUDITED");
      }
      return log;
    }
  }

  /** The audit gate of a fail-open gateway. */
  @ChannelHandler.Sharable
  private static final class PassThrough extends ChannelInboundHandlerAdapter {}
}
