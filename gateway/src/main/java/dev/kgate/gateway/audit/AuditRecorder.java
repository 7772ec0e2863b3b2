package dev.kgate.gateway.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditLog;
import dev.kgate.audit.Durability;
import dev.kgate.auth.Identity;
import dev.kgate.gateway.forward.ExchangeBodies;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every request in the audit log: each refusal the gateway answers itself, and each
 * forwarded exchange when it ends (long-running ones also when they start). Appending only queues
 * the event for the log's writer thread, so this is safe on an event loop.
 *
 * <p>An answer must not outrun its record, or a crash right after it (the log fsyncs once per
 * group-commit window) would leave a client holding a response the log never saw. So {@link
 * #ending} and {@link #record(Rejected)} return the event's durability, and the gateway sends the
 * end of the answer only once it is known: a refusal goes out either way (it changed nothing); a
 * forwarded answer whose event was lost is withheld when the gateway fails closed.
 */
public final class AuditRecorder implements ForwardingHandler.ExchangeListener, Consumer<Rejected> {

  private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

  private final AuditLog auditLog;
  private final Clock clock;
  private final boolean failClosed;
  private final AuditLevels levels;
  /** Audit ids of exchanges recorded by {@link #ending}, whose {@link #completed} adds nothing. */
  private final Set<String> ended = ConcurrentHashMap.newKeySet();

  /**
   * @param failClosed withhold a forwarded answer whose event could not be written
   *                   ({@code audit.failClosed}); otherwise it goes out unrecorded, as the
   *                   operator chose
   */
  public AuditRecorder(AuditLog auditLog, Clock clock, boolean failClosed) {
    this(auditLog, clock, failClosed, AuditLevels.METADATA_ONLY);
  }

  /** @param levels the level of each forwarded request ({@code audit.levels}) */
  public AuditRecorder(AuditLog auditLog, Clock clock, boolean failClosed, AuditLevels levels) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failClosed = failClosed;
    this.levels = Objects.requireNonNull(levels, "levels");
  }

  @Override
  public void started(ClusterRequest request, Channel client) {
    if (request.longRunning()) {
      append(AuditEvents.received(request, levels.levelOf(request), clock.instant()));
    }
  }

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    completed(request, status, requestBytes, responseBytes, failure, Map.of());
  }

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure,
      Map<String, String> annotations) {
    if (!ended.remove(request.request().request().auditId())) {
      append(AuditEvents.completed(request, levels.levelOf(request), status, requestBytes, responseBytes, failure,
          annotations, null, clock.instant()));
    }
  }

  @Override
  public CompletionStage<Boolean> ending(ClusterRequest request, int status, long requestBytes, long responseBytes,
      Failure failure) {
    return ending(request, status, requestBytes, responseBytes, failure, ExchangeBodies.NONE);
  }

  /**
   * Appends the exchange's event with the bodies its level asked for. Redacting them runs here, on
   * the event loop: it is bounded by {@code audit.maxBodyBytes} (at most 1 MiB per body), and a
   * hop to another thread would only move the same wait in front of the answer's end.
   */
  @Override
  public CompletionStage<Boolean> ending(ClusterRequest request, int status, long requestBytes, long responseBytes,
      Failure failure, ExchangeBodies bodies) {
    ended.add(request.request().request().auditId());
    return append(AuditEvents.completed(request, levels.levelOf(request), status, requestBytes, responseBytes,
        failure, Map.of(), bodies, clock.instant()))
        .thenApply(durability -> durability.written() || !failClosed);
  }

  /**
   * Records a request the gateway answered itself; {@code identity} is null without a token.
   * Completes once the event is durable, or known lost: an answer sent after that cannot outrun
   * its record.
   */
  public CompletableFuture<Durability> answered(InboundRequest request, Identity identity, int status) {
    return append(AuditEvents.answered(request, identity, status, clock.instant()));
  }

  /** Records a refusal; completes once its event is durable, or known lost. */
  public CompletableFuture<Durability> record(Rejected rejected) {
    return append(AuditEvents.rejected(rejected, clock.instant()));
  }

  @Override
  public void accept(Rejected rejected) {
    record(rejected);
  }

  private CompletableFuture<Durability> append(AuditEvent event) {
    return auditLog.append(event).whenComplete((durability, error) -> {
      if (!durability.written()) {
        // Fail-closed gateways stop forwarding while the log is unwritable (AuditGateHandler);
        // what was lost is said here, without the event's content.
        log.error("audit event {} ({}) was not written: {}", event.auditId(), event.stage(), durability);
      }
    });
  }
}
