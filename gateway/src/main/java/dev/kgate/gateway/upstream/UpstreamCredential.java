package dev.kgate.gateway.upstream;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * How the gateway authenticates itself to one API server. Called on the event loop for every
 * forwarded request, so an implementation only copies a value it already holds: no I/O, no
 * locks, no token refresh on the calling thread (rotation happens in the background).
 */
public interface UpstreamCredential {

  /**
   * Sets the gateway's own {@code Authorization} on a request going upstream, replacing whatever
   * is there; a client-certificate credential authenticates in the TLS handshake instead.
   */
  void applyTo(HttpHeaders headers);
}
