package dev.kgate.audit;

import java.util.concurrent.CompletableFuture;

/**
 * Where the gateway sends its audit events. {@link #append} never blocks the caller on I/O: it
 * hands the event to a writer and returns at once, so it is safe on an event loop. A fail-closed
 * gateway asks {@link #writable()} before forwarding a request and refuses it (503) when the log
 * cannot take the event, because an unaudited action is worse than a refused one.
 */
public interface AuditLog extends AutoCloseable {

  /**
   * Queues one event. The future completes, on the writer's thread, once the event is durable or
   * known to be lost; it never completes exceptionally. Keep callbacks short or use the async
   * variants, since the writer runs them.
   */
  CompletableFuture<Durability> append(AuditEvent event);

  /**
   * False when an append would likely fail: the last write, fsync or writability probe failed,
   * the queue is full, or the log is closed.
   */
  boolean writable();

  /** Writes what is queued, makes it durable, and releases files; later appends are not written. */
  @Override
  void close();
}
