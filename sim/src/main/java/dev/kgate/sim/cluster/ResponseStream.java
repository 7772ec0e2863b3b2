package dev.kgate.sim.cluster;

/**
 * An answer that keeps writing after its head (watch events, followed logs, {@code /sim/bytes}).
 * The front's handler forwards the channel events a stream needs; all calls happen on the
 * channel's event loop.
 */
interface ResponseStream {

  void start();

  /** The channel's writability changed; a stream with backpressure resumes when writable. */
  default void writabilityChanged() {}

  /** The channel closed; stop, cancel timers and subscriptions. */
  void channelClosed();
}
