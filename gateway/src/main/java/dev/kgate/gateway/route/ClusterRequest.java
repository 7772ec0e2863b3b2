package dev.kgate.gateway.route;

import dev.kgate.gateway.authn.AuthenticatedRequest;
import dev.kgate.gateway.authz.Authorization;
import dev.kgate.gateway.upstream.UpstreamTarget;
import java.util.Objects;

/**
 * An authenticated request bound to the cluster it will be forwarded to.
 *
 * @param upstreamUri   the path and query the API server will see (the cluster prefix removed)
 * @param authorization why it may go ahead; null until the authorization stage has decided, and
 *                      never null when it reaches the forwarding stage
 */
public record ClusterRequest(
    AuthenticatedRequest request, UpstreamTarget target, String upstreamUri, Authorization authorization) {

  public ClusterRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(upstreamUri, "upstreamUri");
  }

  /** Not yet authorized. */
  public ClusterRequest(AuthenticatedRequest request, UpstreamTarget target, String upstreamUri) {
    this(request, target, upstreamUri, null);
  }

  /** This request, allowed for the given reason. */
  public ClusterRequest authorized(Authorization authorization) {
    return new ClusterRequest(request, target, upstreamUri, Objects.requireNonNull(authorization, "authorization"));
  }

  public String cluster() {
    return target.clusterName();
  }

  /**
   * Whether the request holds a stream open for as long as the client or the cluster wants: an
   * upgrade (exec, attach, port-forward), a watch, or {@code logs -f}. Its audit record gets a start
   * as well as an end, and a policy change re-decides it while it runs.
   */
  public boolean longRunning() {
    if (request.request().upgrade()) {
      return true;
    }
    if (authorization != null && "watch".equals(authorization.attributes().verb())) {
      return true;
    }
    int query = upstreamUri.indexOf('?');
    if (query >= 0) {
      for (String pair : upstreamUri.substring(query + 1).split("&")) {
        if (pair.equals("follow=true") || pair.equals("follow=1")) {
          return true; // logs -f
        }
      }
    }
    return false;
  }
}
