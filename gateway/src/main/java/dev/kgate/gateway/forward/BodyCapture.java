package dev.kgate.gateway.forward;

import dev.kgate.gateway.route.ClusterRequest;

/**
 * Decides, as a forwarded exchange starts, which of its bodies are copied for its audit record
 * ({@code audit.levels}). The copies are taken beside the stream and never hold it up.
 */
@FunctionalInterface
public interface BodyCapture {

  /** Copies nothing: every event at {@code Metadata}. */
  BodyCapture NONE = request -> ExchangeBodies.NONE;

  ExchangeBodies start(ClusterRequest request);
}
