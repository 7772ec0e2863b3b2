package dev.kgate.sim.cluster;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Serves exec, attach and port-forward for the simulated cluster (WebSocket and SPDY upgrades
 * over HTTP/1.1). The front calls it for an existing pod; it owns {@code request} from then on
 * (and must release it) and may replace the pipeline handlers after {@code "http-codec"}.
 */
@FunctionalInterface
public interface UpgradeHandler {

  /**
   * Handles one upgrade request on the front's channel.
   *
   * @param ctx the context of the front's {@code "sim-front"} handler
   * @param request the aggregated request; ownership passes to the handler
   * @param namespace the pod's namespace
   * @param pod the pod's name
   * @param subresource {@code exec}, {@code attach} or {@code portforward}
   */
  void handle(ChannelHandlerContext ctx, FullHttpRequest request, String namespace, String pod, String subresource);
}
