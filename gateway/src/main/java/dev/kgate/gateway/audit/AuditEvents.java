package dev.kgate.gateway.audit;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.ResponseStatus;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.gateway.authz.Authorization;
import dev.kgate.gateway.http.InboundRequest;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.impersonate.ImpersonationHeaders;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import dev.kgate.gateway.status.KubeStatus;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns what the gateway knows about one request into its audit event. Pure functions of the
 * request and the outcome, so what is recorded can be read in one place. Never a body and never a
 * header value other than the user agent: tokens cannot reach the log from here.
 */
public final class AuditEvents {

  private AuditEvents() {}

  /** A long-running request has started: a watch, {@code logs -f}, exec, attach or port-forward. */
  static AuditEvent received(ClusterRequest request, Instant now) {
    return forwarded(request, Stage.RequestReceived, now).build();
  }

  /** A forwarded request has ended; {@code failure} is null when the response was relayed completely. */
  static AuditEvent completed(
      ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure, Instant now) {
    return completed(request, status, requestBytes, responseBytes, failure, Map.of(), now);
  }

  /** As above, plus {@code annotations} (e.g. where the session recording is). */
  static AuditEvent completed(ClusterRequest request, int status, long requestBytes, long responseBytes,
      Failure failure, Map<String, String> annotations, Instant now) {
    AuditEvent.Builder event = forwarded(request, Stage.ResponseComplete, now)
        .responseStatus(failure == null
            ? new ResponseStatus(status, status < 400 ? "Success" : "Failure", null, null)
            : new ResponseStatus(status, "Failure", KubeStatus.reason(failure), failure.message()))
        .latencyMillis(Duration.between(request.request().request().receivedAt(), now).toMillis())
        .requestBytes(requestBytes)
        .responseBytes(responseBytes);
    annotations.forEach(event::annotation);
    if (failure != null) {
      event.annotation(AuditAnnotations.REASON, failure.detail());
    }
    return event.build();
  }

  /** A request the gateway refused itself. */
  static AuditEvent rejected(Rejected rejected, Instant now) {
    InboundRequest inbound = rejected.request();
    Failure failure = rejected.failure();
    AuditEvent.Builder event = common(inbound, Stage.ResponseComplete, now)
        .requestUri(inbound.head().uri())
        .cluster(rejected.cluster())
        .decision(decisionOf(failure))
        .annotation(AuditAnnotations.REASON, failure.detail())
        .responseStatus(new ResponseStatus(
            KubeStatus.httpStatus(failure).code(), "Failure", KubeStatus.reason(failure), failure.message()))
        .latencyMillis(Duration.between(inbound.receivedAt(), now).toMillis())
        .requestBytes(0L)
        .responseBytes(0L);
    if (rejected.identity() != null) {
      person(event, rejected.identity());
    } else {
      event.user(UserInfo.anonymous());
    }
    if (rejected.attributes() != null) {
      attributes(event, rejected.attributes());
    }
    return event.build();
  }

  /**
   * A request the gateway answered itself (its own endpoints).
   *
   * @param identity who asked, or null for an endpoint that needs no token
   */
  static AuditEvent answered(InboundRequest inbound, Identity identity, int status, Instant now) {
    AuditEvent.Builder event = common(inbound, Stage.ResponseComplete, now)
        .requestUri(inbound.head().uri())
        .verb(inbound.head().method().name().toLowerCase(Locale.ROOT))
        .decision(AuditAnnotations.ALLOW)
        .responseStatus(new ResponseStatus(status, status < 400 ? "Success" : "Failure", null, null))
        .latencyMillis(Duration.between(inbound.receivedAt(), now).toMillis())
        .requestBytes(0L)
        .responseBytes(0L);
    if (identity != null) {
      person(event, identity);
    } else {
      event.user(UserInfo.anonymous());
    }
    return event.build();
  }

  public static String decisionOf(Failure failure) {
    if (failure instanceof Failure.Unauthenticated) {
      return AuditAnnotations.UNAUTHENTICATED;
    }
    if (failure instanceof Failure.GatewayUnavailable) {
      return AuditAnnotations.ERROR;
    }
    return AuditAnnotations.DENY;
  }

  private static AuditEvent.Builder forwarded(ClusterRequest request, Stage stage, Instant now) {
    Identity identity = request.request().identity();
    Authorization authorization = request.authorization();
    AuditEvent.Builder event = common(request.request().request(), stage, now)
        .requestUri(request.upstreamUri())
        .cluster(request.cluster())
        .decision(AuditAnnotations.ALLOW);
    person(event, identity);
    if (authorization != null) {
      attributes(event, authorization.attributes());
      Set<String> groups = new LinkedHashSet<>(authorization.groups());
      groups.add(ImpersonationHeaders.AUTHENTICATED_GROUP);
      event.impersonatedUser(new UserInfo(identity.username(), identity.uid(), List.copyOf(groups), identity.extra()));
      String grant = authorization.describeGrant();
      if (grant != null) {
        event.annotation(AuditAnnotations.RULE, grant);
      }
    }
    return event;
  }

  private static AuditEvent.Builder common(InboundRequest inbound, Stage stage, Instant now) {
    return AuditEvent.builder()
        .auditId(inbound.auditId())
        .stage(stage)
        .sourceIps(inbound.clientAddress() == null ? List.of() : List.of(inbound.clientAddress()))
        .userAgent(inbound.head().headers().get(HttpHeaderNames.USER_AGENT))
        .requestReceivedTimestamp(inbound.receivedAt())
        .stageTimestamp(now);
  }

  private static void person(AuditEvent.Builder event, Identity identity) {
    event.user(new UserInfo(identity.username(), identity.uid(), identity.groups(), identity.extra()))
        .issuer(identity.issuer())
        .subject(identity.subject())
        .amr(identity.amr())
        .acr(identity.acr());
  }

  private static void attributes(AuditEvent.Builder event, RequestAttributes attributes) {
    event.verb(attributes.verb());
    if (attributes instanceof RequestAttributes.Resource resource) {
      event.objectRef(new ObjectReference(
          resource.resource(),
          emptyToNull(resource.namespace()),
          emptyToNull(resource.name()),
          resource.apiGroup(),
          resource.apiVersion(),
          emptyToNull(resource.subresource())));
    }
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
