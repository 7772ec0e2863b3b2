package dev.kgate.gateway.route;

import dev.kgate.gateway.authn.AuthenticatedRequest;
import dev.kgate.gateway.upstream.UpstreamTarget;
import java.util.Objects;

/** An authenticated request bound to the cluster it will be forwarded to. */
public record ClusterRequest(AuthenticatedRequest request, UpstreamTarget target, String upstreamUri) {
  public ClusterRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(upstreamUri, "upstreamUri");
  }
}
