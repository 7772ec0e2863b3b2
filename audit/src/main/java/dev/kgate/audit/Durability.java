package dev.kgate.audit;

/**
 * What became of one appended event: written and flushed to stable storage, or not written. An
 * {@link AuditLog} completes every append with one of these, never with an exception.
 */
public sealed interface Durability {

  /** The event is on disk (fsync done) as line {@code seq} of the named chain. */
  record Written(String chain, long seq) implements Durability {}

  /** The event was not written, or not made durable; {@code reason} says why. */
  record NotWritten(String reason) implements Durability {}

  /** Whether the event reached stable storage. */
  default boolean written() {
    return this instanceof Written;
  }
}
