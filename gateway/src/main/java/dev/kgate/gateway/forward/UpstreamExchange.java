package dev.kgate.gateway.forward;

import io.netty.channel.Channel;

/**
 * One request/response with an API server, on a channel that speaks Netty HTTP objects: an HTTP/2
 * stream of a shared connection, or a whole HTTP/1.1 connection borrowed from the pool. The
 * channel does not auto-read; the forwarder asks for each chunk once the previous one was written.
 */
public interface UpstreamExchange {

  Channel channel();

  boolean http2();

  /**
   * Gives the exchange back. {@code reusable} is true only when the request and response both
   * completed cleanly; otherwise the connection (HTTP/1.1) or stream (HTTP/2) is closed.
   */
  void release(boolean reusable);
}
