package dev.kgate.gateway.record;

import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.gateway.route.ClusterRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Starts the recordings of exec and attach sessions ({@code audit.sessions}) and owns the one
 * thread that writes them, so recording never blocks an event loop. Port-forward is not recorded
 * (its bytes are another program's traffic, not a terminal), nor are the base64 WebSocket
 * protocols, which kubectl never uses.
 */
public final class SessionRecordings implements AutoCloseable {

  private static final long CLOSE_WAIT_SECONDS = 5;

  private final Path auditDir;
  private final long maxBytes;
  private final boolean recordInput;
  private final Clock clock;
  private final LongSupplier nanoTime;
  private final ExecutorService writer;

  /**
   * @param maxBytes    the most one session's file may hold
   * @param recordInput whether stdin is kept (it can hold what a person typed without an echo)
   */
  public SessionRecordings(Path auditDir, long maxBytes, boolean recordInput, Clock clock) {
    this(auditDir, maxBytes, recordInput, clock, System::nanoTime);
  }

  SessionRecordings(Path auditDir, long maxBytes, boolean recordInput, Clock clock, LongSupplier nanoTime) {
    this.auditDir = Objects.requireNonNull(auditDir, "auditDir");
    if (maxBytes < 2L * SessionRecording.MARKER_RESERVE) {
      throw new IllegalArgumentException("maxBytes too small: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.recordInput = recordInput;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kgate-session-recorder");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * A recording for a request the API server has just switched to {@code response}'s protocol, or
   * null when it is not an exec or attach session over a protocol the recorder reads.
   */
  public SessionRecording start(ClusterRequest request, HttpResponse response) {
    String kind = sessionKind(request);
    if (kind == null) {
      return null;
    }
    SessionRecording.Framing framing = framing(response);
    String auditId = request.request().request().auditId();
    if (framing == null || !StoreLayout.isSafeAuditId(auditId)) {
      return null;
    }
    String clientAddress = request.request().request().clientAddress();
    String chain = ChainKey.chainOf(request.request().identity().username(),
        clientAddress == null ? List.of() : List.of(clientAddress));
    String relative = StoreLayout.sessionFile(ChainKey.dirName(chain), auditId);
    RequestAttributes.Resource pod = (RequestAttributes.Resource) request.authorization().attributes();
    String title = "kubectl " + kind + " " + pod.namespace() + "/" + pod.name() + " on " + request.cluster()
        + " by " + request.request().identity().username();
    CastFile file = new CastFile(auditDir.resolve(relative), writer);
    return new SessionRecording(relative, file, framing, maxBytes, recordInput, nanoTime, clock.instant(), title,
        command(request.upstreamUri()));
  }

  /** {@code exec} or {@code attach}, or null for anything else. */
  private static String sessionKind(ClusterRequest request) {
    if (request.authorization() == null
        || !(request.authorization().attributes() instanceof RequestAttributes.Resource resource)
        || !"pods".equals(resource.resource())) {
      return null;
    }
    String sub = resource.subresource();
    return sub.equals("exec") || sub.equals("attach") ? sub : null;
  }

  private static SessionRecording.Framing framing(HttpResponse response) {
    String upgrade = response.headers().get(HttpHeaderNames.UPGRADE, "").toLowerCase(Locale.ROOT);
    if (upgrade.equals("websocket")) {
      String protocol = response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, "");
      return protocol.endsWith("channel.k8s.io") && !protocol.contains("base64")
          ? SessionRecording.Framing.WEBSOCKET : null;
    }
    return upgrade.startsWith("spdy/3") ? SessionRecording.Framing.SPDY : null;
  }

  /** The command as the query names it ({@code command=sh&command=-c&…}), or empty for attach. */
  private static String command(String uri) {
    List<String> argv = new QueryStringDecoder(uri).parameters().getOrDefault("command", List.of());
    return String.join(" ", argv);
  }

  /** Lets queued writes finish (up to five seconds), then stops the writer. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      writer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
