package dev.kgate.gateway.route;

import dev.kgate.gateway.authn.AuthenticatedRequest;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds an authenticated request to its cluster. Runs after authentication on purpose: an
 * unauthenticated caller gets 401 whatever the path, so cluster names cannot be probed; an
 * authenticated caller naming an unknown cluster gets the very answer a forbidden cluster gives.
 */
@ChannelHandler.Sharable
public final class ClusterSelectionHandler extends ChannelInboundHandlerAdapter {

  private final Function<String, Optional<UpstreamTarget>> clusters;

  public ClusterSelectionHandler(Function<String, Optional<UpstreamTarget>> clusters) {
    this.clusters = Objects.requireNonNull(clusters, "clusters");
  }

  /** The denial for a cluster the person may not use, identical whether or not it exists. */
  public static Failure.Forbidden forbiddenCluster(String user, String cluster, String detail) {
    return new Failure.Forbidden("user \"" + user + "\" may not use cluster \"" + cluster
        + "\" through kgate (ask your platform team for access)", detail);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof AuthenticatedRequest authenticated)) {
      ctx.fireChannelRead(msg);
      return;
    }
    Route route = authenticated.request().route();
    String user = authenticated.identity().username();
    if (route instanceof Route.ToCluster toCluster) {
      Optional<UpstreamTarget> target = Route.CLUSTER_NAME.matcher(toCluster.cluster()).matches()
          ? clusters.apply(toCluster.cluster())
          : Optional.empty();
      if (target.isPresent()) {
        ctx.fireChannelRead(new ClusterRequest(authenticated, target.get(), toCluster.upstreamUri()));
      } else {
        ctx.fireChannelRead(new Rejected(authenticated.request(),
            forbiddenCluster(user, toCluster.cluster(), "unknown cluster " + toCluster.cluster()),
            authenticated.identity(), toCluster.cluster(), null));
      }
    } else {
      ctx.fireChannelRead(new Rejected(authenticated.request(), new Failure.NotFound(
          "kgate serves Kubernetes API requests under /clusters/<cluster>/: point your kubeconfig's"
              + " server at https://<gateway>/clusters/<cluster>", "not a gateway path: " + route),
          authenticated.identity(), null, null));
    }
  }
}
