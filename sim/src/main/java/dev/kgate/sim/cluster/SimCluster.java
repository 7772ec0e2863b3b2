package dev.kgate.sim.cluster;

import dev.kgate.sim.kubectl.Kubeconfig;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.TestPki;
import dev.kgate.sim.stream.PodStreams;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated Kubernetes cluster as kubectl sees it: a TLS API server on 127.0.0.1 (HTTP/2 and
 * HTTP/1.1) in front of fabric8's mock API server, seeded with namespaces, deployments, pods and
 * secrets ({@link SimSeed}). The front adds what the mock lacks (discovery, OpenAPI, server-side
 * tables, watches, logs, strategic merge patches), records every request it receives, and only
 * admits the gateway: a bearer {@link #gatewayToken()} or a client certificate from
 * {@link #issueGatewayClientCertificate()}. Exec, attach and port-forward go to an
 * {@link UpgradeHandler}, by default one {@link PodStreams} per cluster. Used by the gateway's end-to-end tests, the benchmarks and the demo.
 */
public final class SimCluster implements AutoCloseable {

  private final String name;
  private final TestPki pki;
  private final String token;
  private final MockBackend backend;
  private final WatchHub hub;
  private final ClusterStore store;
  private final RequestLog requestLog;
  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final Clock clock;
  private final UpgradeHandler upgradeHandler;
  private final int port;

  private SimCluster(Builder b) {
    this.name = b.name;
    this.clock = b.clock;
    this.pki = TestPki.create("kgate-sim " + name + " CA", clock);
    this.token = randomToken();
    IssuedCertificate serving = pki.issueServer("kube-apiserver",
        List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"), List.of("127.0.0.1"));
    SslContext ssl = pki.serverSslContext(serving, true, ClientAuth.OPTIONAL);
    this.backend = MockBackend.start(name);
    this.hub = new WatchHub();
    ApiCatalog catalog = ApiCatalog.standard();
    this.store = new ClusterStore(backend, hub, catalog, clock);
    this.requestLog = new RequestLog();
    this.upgradeHandler = b.upgradeHandler != null
        ? b.upgradeHandler
        : new PodStreams(clock, PodStreams.DEFAULT_ATTACH_TICK);
    SimContext sim = new SimContext(name, store, hub, catalog, new GatewayCredentials(token, pki.caCertificate()),
        requestLog, upgradeHandler, clock, b.logInterval, b.bookmarkInterval);
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(b.ioThreads, NioIoHandler.newFactory());
    try {
      if (b.seed) {
        seed();
      }
      this.serverChannel = new ServerBootstrap()
          .group(loops)
          .channel(NioServerSocketChannel.class)
          .childHandler(new SimFrontInitializer(ssl, sim, b.maxConcurrentStreams))
          .bind(new InetSocketAddress("127.0.0.1", 0))
          .syncUninterruptibly()
          .channel();
    } catch (RuntimeException e) {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      backend.close();
      throw e;
    }
    this.group = loops;
    this.port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
    sim.serverAddress("127.0.0.1:" + port);
  }

  /** Starts a seeded cluster with default settings. */
  public static SimCluster start(String name) {
    return builder(name).start();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  private void seed() {
    for (Map.Entry<String, ObjectNode> object : SimSeed.objects(clock.instant())) {
      BackendResponse r = store.execute("POST", object.getKey(), ResourcePath.parse(object.getKey()).orElse(null),
          Responses.JSON, Json.bytes(object.getValue()), false).join();
      if (!r.isSuccess()) {
        throw new IllegalStateException("seeding " + object.getKey() + " failed: " + r.status() + " "
            + ClusterStore.utf8(r.body()));
      }
    }
  }

  public String name() {
    return name;
  }

  /** {@code https://127.0.0.1:<port>}. */
  public String url() {
    return "https://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The PEM of the CA that signed the server certificate (and gateway client certificates). */
  public String caCertificatePem() {
    return pki.caCertificatePem();
  }

  public void writeCaPem(Path file) {
    pki.writeCaPem(file);
  }

  /** The cluster's PKI, e.g. to build a client TLS context that trusts it. */
  public TestPki pki() {
    return pki;
  }

  /** The bearer token the front accepts as the gateway's upstream credential; random per cluster. */
  public String gatewayToken() {
    return token;
  }

  /** A fresh client certificate the front accepts as the gateway's upstream credential. */
  public IssuedCertificate issueGatewayClientCertificate() {
    return pki.issueClient("kgate-gateway", List.of("kgate:gateways"));
  }

  /** Writes a kubeconfig that talks to this cluster directly with {@link #gatewayToken()}. */
  public void writeKubeconfig(Path file) {
    Kubeconfig.write(file, Kubeconfig.withToken(name, url(), caCertificatePem(), token));
  }

  /** Every request received so far (bounded to the most recent ones), in order. */
  public List<RecordedRequest> requests() {
    return requestLog.snapshot();
  }

  /**
   * The first received request matching {@code predicate}, waiting up to {@code timeout}.
   *
   * @throws AssertionError when none arrives in time
   */
  public RecordedRequest awaitRequest(Predicate<RecordedRequest> predicate, Duration timeout) {
    try {
      return requestLog.await(predicate, timeout).orElseThrow(() -> new AssertionError(
          "no matching request reached cluster " + name + " within " + timeout + "; received: "
              + requestLog.snapshot().stream().map(r -> r.method() + " " + r.uri()).toList()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a request", e);
    }
  }

  public void clearRequests() {
    requestLog.clear();
  }

  /** What serves exec, attach and port-forward: a {@link PodStreams} unless the builder set another. */
  public UpgradeHandler upgradeHandler() {
    return upgradeHandler;
  }

  /** How many watch streams are open right now. */
  public int openWatches() {
    return hub.subscriberCount();
  }

  /** Creates a running pod with one container {@code app}; watchers see it ADDED. */
  public void createPod(String namespace, String podName) {
    createPod(namespace, podName, List.of("app"));
  }

  /** Creates a running pod with the given containers; watchers see it ADDED. */
  public void createPod(String namespace, String podName, List<String> containers) {
    mutate("POST", "/api/v1/namespaces/" + namespace + "/pods",
        SimSeed.pod(namespace, podName, containers, Map.of("app", podName), clock.instant()));
  }

  /** Deletes a pod; watchers see it DELETED. */
  public void deletePod(String namespace, String podName) {
    mutate("DELETE", "/api/v1/namespaces/" + namespace + "/pods/" + podName, null);
  }

  /** Creates a namespace. */
  public void createNamespace(String namespace) {
    mutate("POST", "/api/v1/namespaces", SimSeed.namespace(namespace));
  }

  private void mutate(String method, String uri, ObjectNode body) {
    BackendResponse r = store.execute(method, uri, ResourcePath.parse(uri).orElseThrow(), Responses.JSON,
        body == null ? new byte[0] : Json.bytes(body), false).join();
    if (!r.isSuccess()) {
      throw new IllegalStateException(method + " " + uri + " failed: " + r.status() + " " + ClusterStore.utf8(r.body()));
    }
  }

  @Override
  public void close() {
    try {
      serverChannel.close().syncUninterruptibly();
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    } finally {
      backend.close();
    }
  }

  private static String randomToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "sim-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Options for a simulated cluster; {@link #start()} rejects nothing but nonsense values. */
  public static final class Builder {
    private final String name;
    private Duration logInterval = Duration.ofSeconds(1);
    private Duration bookmarkInterval = Duration.ofMinutes(1);
    private UpgradeHandler upgradeHandler;
    private Clock clock = Clock.systemUTC();
    private int maxConcurrentStreams = 100;
    private int ioThreads = 2;
    private boolean seed = true;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /** How often {@code logs -f} gets a new line; default 1 s. */
    public Builder logInterval(Duration interval) {
      this.logInterval = positive(interval, "logInterval");
      return this;
    }

    /** How often watches that allow bookmarks get one; default 1 min, like the API server's cacher. */
    public Builder bookmarkInterval(Duration interval) {
      this.bookmarkInterval = positive(interval, "bookmarkInterval");
      return this;
    }

    /** Serves exec, attach and port-forward instead of the default {@link PodStreams}. */
    public Builder upgradeHandler(UpgradeHandler handler) {
      this.upgradeHandler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Time source for certificates, AGE columns and log timestamps. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS; default 100, the API server's default. */
    public Builder maxConcurrentStreams(int streams) {
      if (streams < 1) {
        throw new IllegalArgumentException("maxConcurrentStreams must be at least 1");
      }
      this.maxConcurrentStreams = streams;
      return this;
    }

    /** Netty event loop threads for the front; default 2. */
    public Builder ioThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("ioThreads must be at least 1");
      }
      this.ioThreads = threads;
      return this;
    }

    /** Whether to create the {@link SimSeed} objects; default true. */
    public Builder seed(boolean seed) {
      this.seed = seed;
      return this;
    }

    public SimCluster start() {
      return new SimCluster(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive");
      }
      return d;
    }
  }
}
