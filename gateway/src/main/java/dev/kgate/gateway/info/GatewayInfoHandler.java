package dev.kgate.gateway.info;

import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.policy.PolicyEngine;
import dev.kgate.auth.policy.Role;
import dev.kgate.auth.policy.Subject;
import dev.kgate.gateway.audit.AuditRecorder;
import dev.kgate.gateway.authn.AuthenticatedRequest;
import dev.kgate.gateway.authz.AccessPolicy;
import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.http.Responses;
import dev.kgate.gateway.route.Route;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.upstream.UpstreamTarget;
import dev.kgate.gateway.upstream.UpstreamTargets;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway's own two endpoints, answered here and never forwarded:
 * {@code GET /.well-known/kgate} (no token needed) tells {@code kgate login} which IdP to use, with
 * which client id and scopes, and the gateway's version; {@code GET /kgate/v1/clusters}
 * (authenticated) lists the clusters this person may use and the roles they hold on each, under
 * the policy in force. Both are small and computed in memory, so they run on the event loop.
 */
@ChannelHandler.Sharable
public final class GatewayInfoHandler extends ChannelInboundHandlerAdapter {

  /** What a login asks the IdP for: an id token, refresh tokens, and the claims kgate maps. */
  static final List<String> SCOPES = List.of("openid", "offline_access", "email", "profile");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final List<IssuerSettings> issuers;
  private final Supplier<UpstreamTargets> targets;
  private final AccessPolicy policy;
  private final AuditRecorder audit;
  private final String version;

  public GatewayInfoHandler(List<IssuerSettings> issuers, Supplier<UpstreamTargets> targets, AccessPolicy policy,
      AuditRecorder audit, String version) {
    this.issuers = List.copyOf(issuers);
    this.targets = Objects.requireNonNull(targets, "targets");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.version = Objects.requireNonNull(version, "version");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof InboundRequest request && request.route() instanceof Route.GatewayInfo info
        && info.endpoint() == Route.Endpoint.WELL_KNOWN) {
      answer(ctx, request, null, this::wellKnown);
    } else if (msg instanceof AuthenticatedRequest authenticated
        && authenticated.request().route() instanceof Route.GatewayInfo info
        && info.endpoint() == Route.Endpoint.CLUSTERS) {
      answer(ctx, authenticated.request(), authenticated.identity(), () -> clusters(authenticated.identity()));
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  private void answer(ChannelHandlerContext ctx, InboundRequest request, Identity identity,
      Supplier<ObjectNode> body) {
    if (!request.head().method().equals(HttpMethod.GET) || request.bodyExpected()) {
      String path = ((Route.GatewayInfo) request.route()).endpoint().path();
      ctx.fireChannelRead(new Rejected(request, new Failure.BadRequest(
          path + " answers GET only", "method " + request.head().method() + " on " + path), identity, null, null));
      return;
    }
    byte[] json = JSON.writeValueAsBytes(body.get());
    // As for every answer: its record first. These endpoints change nothing and reveal only what
    // the caller may see, so the answer goes out even if the record could not be written.
    audit.answered(request, identity, 200).whenComplete((durability, error) -> {
      if (ctx.executor().inEventLoop()) {
        Responses.json(ctx, request, json);
      } else {
        ctx.executor().execute(() -> Responses.json(ctx, request, json));
      }
    });
  }

  private ObjectNode wellKnown() {
    ObjectNode root = JSON.createObjectNode().put("apiVersion", "kgate.dev/v1").put("kind", "GatewayInfo")
        .put("version", version);
    ArrayNode list = root.putArray("issuers");
    for (IssuerSettings issuer : issuers) {
      ObjectNode entry = list.addObject().put("issuer", issuer.issuer().toString());
      if (issuer.clientId() != null) {
        entry.put("clientId", issuer.clientId());
      }
      ArrayNode audiences = entry.putArray("audiences");
      issuer.audiences().forEach(audiences::add);
    }
    ArrayNode scopes = root.putArray("scopes");
    SCOPES.forEach(scopes::add);
    return root;
  }

  private ObjectNode clusters(Identity identity) {
    ObjectNode root = JSON.createObjectNode().put("apiVersion", "kgate.dev/v1").put("kind", "ClusterList")
        .put("user", identity.username());
    ArrayNode items = root.putArray("items");
    Optional<PolicyEngine> engine = policy.current();
    Subject subject = Subject.of(identity);
    for (UpstreamTarget target : targets.get().all()) {
      String name = target.clusterName();
      List<Role> roles = engine.map(e -> e.policy().rolesOf(subject, name)).orElse(null);
      if (roles != null && roles.isEmpty()) {
        continue; // a cluster this person may not use is not theirs to know about
      }
      ObjectNode item = items.addObject().put("name", name).put("path", Route.PREFIX + name);
      ArrayNode held = item.putArray("roles");
      if (roles != null) {
        roles.forEach(role -> held.add(role.name()));
      }
    }
    return root;
  }
}
