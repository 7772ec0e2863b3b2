package dev.kgate.gateway.limits;

import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;

/**
 * Refuses an authorized request with 429 when its person is over a fair-use limit
 * ({@link UserLimits}). Runs after authorization, so a refused request costs nobody's share and
 * the stream limit knows which requests are long-running.
 */
@ChannelHandler.Sharable
public final class FairUseHandler extends ChannelInboundHandlerAdapter {

  private final UserLimits limits;

  public FairUseHandler(UserLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ClusterRequest request) {
      Failure.TooManyRequests refused = limits.admit(request);
      if (refused != null) {
        ctx.fireChannelRead(new Rejected(request.request().request(), refused, request.request().identity(),
            request.cluster(), request.authorization().attributes()));
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }
}
