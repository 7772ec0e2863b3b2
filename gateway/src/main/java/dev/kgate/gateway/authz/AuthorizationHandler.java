package dev.kgate.gateway.authz;

import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.Refused;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.attributes.RequestAttributesResolver;
import dev.kgate.auth.attributes.Resolution;
import dev.kgate.auth.policy.Decision;
import dev.kgate.auth.policy.PolicyEngine;
import dev.kgate.auth.policy.Subject;
import dev.kgate.auth.stepup.StepUp;
import dev.kgate.auth.stepup.StepUpChallenge;
import dev.kgate.auth.stepup.StepUpResult;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.route.ClusterSelectionHandler;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether an authenticated request for a known cluster may go ahead, before a byte of it
 * reaches the cluster. First it derives what the request does exactly as the API server will
 * (verb, resource, namespace, …); a path that could mean two things is refused, never guessed.
 * Then the policy decides: allowed (with the groups to impersonate), a stronger login needed (401
 * with an RFC 9470 challenge), or denied (403 saying what the person may not do). A decision costs
 * microseconds and touches no I/O, so it runs on the event loop.
 *
 * <p>Without a policy the person's own IdP groups are impersonated and each cluster's RBAC decides.
 */
@ChannelHandler.Sharable
public final class AuthorizationHandler extends ChannelInboundHandlerAdapter {

  private final AccessPolicy policy;

  public AuthorizationHandler(AccessPolicy policy) {
    this.policy = policy;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ClusterRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ctx.fireChannelRead(decide(request));
  }

  /** The request, authorized, or its rejection. */
  Object decide(ClusterRequest request) {
    Identity identity = request.request().identity();
    Resolution resolution = resolve(request);
    if (resolution instanceof Refused refused) {
      return new Rejected(request.request().request(), new Failure.BadRequest(
          "kgate refused an ambiguous request path: " + refused.reason(),
          "request attributes: " + refused.reason()), identity, request.cluster(), null);
    }
    RequestAttributes attributes = (RequestAttributes) resolution;
    Optional<PolicyEngine> engine = policy.current();
    if (engine.isEmpty()) {
      return request.authorized(new Authorization(attributes, null, -1, identity.groups()));
    }
    Decision decision = engine.get().decide(Subject.of(identity), request.cluster(), attributes);
    if (decision instanceof Decision.Allowed allowed) {
      return request.authorized(
          new Authorization(attributes, allowed.role(), allowed.ruleIndex(), allowed.impersonatedGroups()));
    }
    if (decision instanceof Decision.StepUpRequired stepUp) {
      Set<String> mfaMethods = Set.copyOf(engine.get().policy().mfaMethods());
      StepUpResult check = StepUp.check(identity, stepUp.needed(), mfaMethods, policy.clock());
      String rule = stepUp.role() + ".rules[" + stepUp.ruleIndex() + "]";
      if (check instanceof StepUpChallenge challenge) {
        return rejected(request, attributes, new Failure.StepUpRequired(
            challenge.userMessage(), "step-up for " + rule + ": " + challenge.detail(),
            challenge.wwwAuthenticate()));
      }
      // The engine and the check disagree (the clock moved between them): ask for the login anyway.
      String command = StepUp.loginCommand(stepUp.needed());
      return rejected(request, attributes, new Failure.StepUpRequired(
          "this request needs a stronger or more recent login: run \"" + command + "\", then try again",
          "step-up for " + rule, "Bearer error=\"" + StepUpChallenge.ERROR + "\""));
    }
    Decision.Denied denied = (Decision.Denied) decision;
    Failure failure = denied.reason() == Decision.Denied.Reason.NO_ACCESS_TO_CLUSTER
        // Exactly the answer for a cluster that does not exist, so names cannot be probed.
        ? ClusterSelectionHandler.forbiddenCluster(identity.username(), request.cluster(), denied.detail())
        : new Failure.Forbidden(denied.message(), denied.reason() + ": " + denied.detail());
    return rejected(request, attributes, failure);
  }

  private static Rejected rejected(ClusterRequest request, RequestAttributes attributes, Failure failure) {
    return new Rejected(
        request.request().request(), failure, request.request().identity(), request.cluster(), attributes);
  }

  private static Resolution resolve(ClusterRequest request) {
    String uri = request.upstreamUri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    String rawQuery = query < 0 ? "" : uri.substring(query + 1);
    return RequestAttributesResolver.resolve(request.request().request().head().method().name(), path, rawQuery);
  }
}
