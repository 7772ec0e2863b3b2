package dev.kgate.gateway.audit;

import dev.kgate.audit.AuditLog;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;

/**
 * Fail-closed audit ({@code audit.failClosed}, the default): while the audit log cannot be
 * written, allowed requests are refused with 503 instead of forwarded, because an action nobody
 * can later see is worse than one refused now. Checking costs a volatile read.
 */
@ChannelHandler.Sharable
public final class AuditGateHandler extends ChannelInboundHandlerAdapter {

  private final AuditLog auditLog;

  public AuditGateHandler(AuditLog auditLog) {
    this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ClusterRequest request && !auditLog.writable()) {
      ctx.fireChannelRead(new Rejected(request.request().request(), new Failure.GatewayUnavailable(
          "kgate cannot record requests in its audit log right now, so it refuses them; try again"
              + " shortly, and tell your platform team if this persists",
          "audit log not writable (failClosed)"),
          request.request().identity(), request.cluster(), request.authorization().attributes()));
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
