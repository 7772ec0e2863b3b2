package dev.kgate.sim.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The fabric8 mock API server in CRUD mode on loopback (plain HTTP: only our front talks to it),
 * and an asynchronous JDK client to call it. The mock keeps objects and assigns uids and resource
 * versions; everything it cannot do is the front's job.
 */
final class MockBackend implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  /**
   * The mock logs every request at INFO through java.util.logging. Held here because JUL keeps
   * loggers only weakly, and a collected logger would lose the level set on it.
   */
  private static final Logger MOCK_REQUEST_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesCrudDispatcher dispatcher;
  private final ExecutorService executor;
  private final HttpClient client;
  private final String base;

  private MockBackend(KubernetesMockServer server, KubernetesCrudDispatcher dispatcher, String clusterName) {
    this.server = server;
    this.dispatcher = dispatcher;
    this.executor = Executors.newFixedThreadPool(2, daemonThreads("sim-" + clusterName + "-mock-client"));
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(executor)
        .build();
    this.base = "http://127.0.0.1:" + server.getPort();
  }

  static MockBackend start(String clusterName) {
    routeJulToSlf4j();
    KubernetesCrudDispatcher dispatcher = new KubernetesCrudDispatcher();
    KubernetesMockServer server =
        new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    return new MockBackend(server, dispatcher, clusterName);
  }

  /**
   * The mock (Vert.x) logs through java.util.logging. Route that to SLF4J once per JVM, so the
   * logback configuration decides what is shown, and keep the mock's per-request lines out.
   */
  private static synchronized void routeJulToSlf4j() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
      Logger.getLogger("").setLevel(Level.INFO);
    }
    MOCK_REQUEST_LOG.setLevel(Level.WARNING);
  }

  /** Sends a request to the mock; completes on a client thread, never exceptionally with a 2xx. */
  CompletableFuture<BackendResponse> send(String method, String uri, String contentType, byte[] body) {
    HttpRequest.BodyPublisher publisher = body == null || body.length == 0
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + uri))
        .timeout(CALL_TIMEOUT)
        .header("Accept", "application/json")
        .method(method, publisher);
    if (contentType != null && body != null && body.length > 0) {
      request.header("Content-Type", contentType);
    }
    return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> {
          drainRecordedRequest();
          return new BackendResponse(r.statusCode(), r.body());
        });
  }

  /** Blocking variant for setup code that runs outside any event loop. */
  BackendResponse sendBlocking(String method, String uri, String contentType, byte[] body) {
    return send(method, uri, contentType, body).join();
  }

  /**
   * Takes a fresh resource version from the mock's counter. Used for DELETED events, which
   * carry a new version on a real server while the mock hands back the object as it was.
   */
  long nextResourceVersion() {
    return dispatcher.requestResourceVersion();
  }

  /** The mock records every request for {@code takeRequest()}; we never read them, so drop them. */
  private void drainRecordedRequest() {
    try {
      server.takeRequest(0, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    try {
      server.destroy();
    } finally {
      executor.shutdownNow();
    }
  }

  static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
