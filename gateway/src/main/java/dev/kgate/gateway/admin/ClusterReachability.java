package dev.kgate.gateway.admin;

import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Whether each cluster's API server answered the gateway's last attempt to reach it, learnt from
 * real traffic rather than probes (a probe would need credentials the gateway only lends to
 * people's requests). {@code /readyz} fails only when no configured cluster is reachable: one
 * cluster down must not take the gateway away from the others, but a replica that can reach none
 * of them (its network is cut) should leave the Service.
 */
public final class ClusterReachability implements ForwardingHandler.ExchangeListener {

  private final Map<String, String> lastProblem = new ConcurrentHashMap<>();
  private final Supplier<Set<String>> configured;

  /** @param configured the names of the clusters configured now (they follow reloads) */
  public ClusterReachability(Supplier<Set<String>> configured) {
    this.configured = configured;
  }

  @Override
  public void started(ClusterRequest request, Channel client) {}

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    if (failure == null) {
      lastProblem.put(request.cluster(), "");
    } else if (failure instanceof Failure.UpstreamUnavailable || failure instanceof Failure.UpstreamTimeout
        || failure instanceof Failure.UpstreamBadGateway && !"aborted".equals(failure.detail())) {
      // Not reached, or not trusted (TLS): an exchange cut short midway says nothing about that.
      lastProblem.put(request.cluster(), failure.detail());
    }
  }

  /**
   * The readiness check: fails only when every configured cluster has been tried and none was
   * reachable at its last try (a cluster not tried yet may well be fine).
   */
  public HealthCheck check() {
    return new HealthCheck("clusters", () -> {
      Map<String, String> problems = new TreeMap<>();
      for (String name : configured.get()) {
        String problem = lastProblem.get(name);
        if (problem == null || problem.isEmpty()) {
          return null;
        }
        problems.put(name, problem);
      }
      return problems.isEmpty() ? null : "no cluster was reachable at its last try: " + problems;
    });
  }
}
