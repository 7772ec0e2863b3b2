package dev.kgate.gateway.server;

import dev.kgate.auth.Authenticator;
import dev.kgate.gateway.authz.AuthorizationHandler;
import dev.kgate.gateway.forward.BodyCapture;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.forward.UpstreamPools;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.info.GatewayInfoHandler;
import dev.kgate.gateway.limits.ConnectionLimit;
import dev.kgate.gateway.limits.FairUseHandler;
import dev.kgate.gateway.record.SessionRecordings;
import dev.kgate.gateway.route.ClusterSelectionHandler;
import io.netty.channel.ChannelHandler;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What every connection's request pipeline shares, in request order: who checks the token, which
 * cluster is meant, what the policy allows, whether the person is within fair use, whether audit
 * can record it, who hears of refusals and finished exchanges, where upstream connections come
 * from, and the count of client connections.
 *
 * @param auditGate a sharable handler; refuses requests while the audit log is down (fail-closed),
 *                  or passes everything on (fail-open)
 * @param sessions  records exec and attach sessions, or null when {@code audit.sessions} is off
 * @param bodyCapture which bodies the forwarder copies for the audit record ({@code audit.levels})
 */
record RequestStages(
    Authenticator authenticator,
    GatewayInfoHandler gatewayInfo,
    ClusterSelectionHandler clusterSelection,
    AuthorizationHandler authorization,
    FairUseHandler fairUse,
    ChannelHandler auditGate,
    Function<Rejected, ? extends CompletionStage<?>> rejections,
    UpstreamPools pools,
    ForwardingHandler.ExchangeListener exchanges,
    ConnectionLimit connections,
    SessionRecordings sessions,
    BodyCapture bodyCapture) {

  RequestStages {
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(gatewayInfo, "gatewayInfo");
    Objects.requireNonNull(clusterSelection, "clusterSelection");
    Objects.requireNonNull(authorization, "authorization");
    Objects.requireNonNull(auditGate, "auditGate");
    Objects.requireNonNull(rejections, "rejections");
    Objects.requireNonNull(pools, "pools");
    Objects.requireNonNull(exchanges, "exchanges");
    Objects.requireNonNull(fairUse, "fairUse");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(bodyCapture, "bodyCapture");
  }
}
