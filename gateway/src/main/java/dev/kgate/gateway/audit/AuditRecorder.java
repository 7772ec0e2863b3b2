package dev.kgate.gateway.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditLog;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every request in the audit log: each refusal the gateway answers itself, and each
 * forwarded exchange when it ends (long-running ones also when they start). Appending only queues
 * the event for the log's writer thread, so this is safe on an event loop.
 */
public final class AuditRecorder implements ForwardingHandler.ExchangeListener, Consumer<Rejected> {

  private static final Logger log = LoggerFactory.getLogger(AuditRecorder.class);

  private final AuditLog auditLog;
  private final Clock clock;

  public AuditRecorder(AuditLog auditLog, Clock clock) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void started(ClusterRequest request, Channel client) {
    if (request.longRunning()) {
      append(AuditEvents.received(request, clock.instant()));
    }
  }

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    append(AuditEvents.completed(request, status, requestBytes, responseBytes, failure, clock.instant()));
  }

  @Override
  public void accept(Rejected rejected) {
    append(AuditEvents.rejected(rejected, clock.instant()));
  }

  private void append(AuditEvent event) {
    auditLog.append(event).thenAccept(durability -> {
      if (!durability.written()) {
        // Fail-closed gateways stop forwarding while the log is unwritable (AuditGateHandler);
        // what was lost is said here, without the event's content.
        log.error("audit event {} ({}) was not written: {}", event.auditId(), event.stage(), durability);
      }
    });
  }
}
