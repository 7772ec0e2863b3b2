package dev.kgate.gateway.http;

import dev.kgate.gateway.route.Route;
import io.netty.handler.codec.http.HttpRequest;
import java.time.Instant;
import java.util.Objects;

/**
 * A request head that passed the edge checks, as it travels down the request pipeline. Body
 * chunks follow it as ordinary {@code HttpContent} messages.
 *
 * @param head          the client's request head (headers are still the client's)
 * @param auditId       the id that joins our audit record, the API server's and the response
 * @param route         where the path points
 * @param clientAddress the peer's IP address
 * @param upgrade       a WebSocket or SPDY upgrade (exec, attach, port-forward)
 * @param bodyExpected  whether body bytes may follow
 * @param http2         whether the client speaks HTTP/2 on this stream
 * @param receivedAt    when its head arrived (the audit record's requestReceivedTimestamp)
 */
public record InboundRequest(
    HttpRequest head,
    String auditId,
    Route route,
    String clientAddress,
    boolean upgrade,
    boolean bodyExpected,
    boolean http2,
    Instant receivedAt) {

  public InboundRequest {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(auditId, "auditId");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(receivedAt, "receivedAt");
  }
}
