package dev.kgate.audit.webhook;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditLog;
import dev.kgate.audit.Durability;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The file log with a webhook beside it: every event the primary log made durable is offered to
 * the sink, so the receiver sees what the tamper-evident record holds and nothing it refused.
 * The append result is the primary's; the sink's fate shows in {@link #writable()}, which is
 * false when either cannot take events, so a fail-closed gateway refuses requests while the
 * central copy would be lost.
 */
public final class TeeAuditLog implements AuditLog {

  private final AuditLog primary;
  private final WebhookSink sink;

  public TeeAuditLog(AuditLog primary, WebhookSink sink) {
    this.primary = Objects.requireNonNull(primary, "primary");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  @Override
  public CompletableFuture<Durability> append(AuditEvent event) {
    // Runs on the primary's writer thread; offer neither blocks nor throws.
    return primary.append(event).thenApply(durability -> {
      if (durability.written()) {
        sink.offer(event);
      }
      return durability;
    });
  }

  @Override
  public boolean writable() {
    return primary.writable() && sink.healthy();
  }

  /** Closes the primary first, so every event it still makes durable reaches the sink, then the sink. */
  @Override
  public void close() {
    try {
      primary.close();
    } finally {
      sink.close();
    }
  }
}
