package dev.kgate.gateway.server;

import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The forwarded exchanges that have started and not yet completed, for a graceful shutdown. */
final class InFlight implements ForwardingHandler.ExchangeListener {

  private final Map<String, ClusterRequest> open = new ConcurrentHashMap<>();

  @Override
  public void started(ClusterRequest request, Channel client) {
    open.put(request.request().request().auditId(), request);
  }

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    open.remove(request.request().request().auditId());
  }

  int count() {
    return open.size();
  }

  /** What is still in flight, for the log line of a shutdown that ran out of time. */
  List<String> describe() {
    return open.values().stream()
        .map(r -> r.request().request().head().method() + " " + r.cluster() + r.upstreamUri()
            + " (" + r.request().identity().username() + ", " + r.request().request().auditId() + ")")
        .toList();
  }
}
