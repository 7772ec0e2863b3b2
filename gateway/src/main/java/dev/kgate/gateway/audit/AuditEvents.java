package dev.kgate.gateway.audit;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditObject;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.ResponseStatus;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import dev.kgate.audit.redact.BodyRedaction;
import dev.kgate.audit.redact.CapturedBody;
import dev.kgate.audit.redact.RecordedBody;
import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.gateway.authz.Authorization;
import dev.kgate.gateway.forward.ExchangeBodies;
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
import java.util.function.Consumer;

/**
 * Turns what the gateway knows about one request into its audit event. Pure functions of the
 * request and the outcome, so what is recorded can be read in one place. Never a header value
 * other than the user agent, so tokens cannot reach the log from here; bodies only as their level
 * asks and as {@link BodyRedaction} lets them through. Refusals and the gateway's own answers are
 * at {@code Metadata}: the gateway never read their bodies.
 */
public final class AuditEvents {

  private AuditEvents() {}

  /** A long-running request has started: a watch, {@code logs -f}, exec, attach or port-forward. */
  static AuditEvent received(ClusterRequest request, AuditLevels.Choice level, Instant now) {
    AuditEvent.Builder event = forwarded(request, Stage.RequestReceived, now);
    level(event, level);
    return event.build();
  }

  /**
   * A forwarded request has ended; {@code failure} is null when the response was relayed
   * completely, {@code annotations} add to the event (where the session recording is).
   *
   * @param bodies the copies of its bodies its level asked for; null when the exchange was cut
   *               off before its end was recorded, so none could be taken whole
   */
  static AuditEvent completed(ClusterRequest request, AuditLevels.Choice level, int status, long requestBytes,
      long responseBytes, Failure failure, Map<String, String> annotations, ExchangeBodies bodies, Instant now) {
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
    level(event, level);
    if (!request.longRunning()) {
      ObjectReference ref = objectRef(request);
      String missing = bodies == null ? "omitted: the exchange was interrupted" : "omitted: not copied";
      if (level.level().recordsRequest()) {
        body(event, AuditAnnotations.REQUEST_OBJECT, ref, bodies == null ? null : bodies.request(), missing,
            event::requestObject);
      }
      if (level.level().recordsResponse() && failure == null) {
        body(event, AuditAnnotations.RESPONSE_OBJECT, ref, bodies == null ? null : bodies.response(), missing,
            event::responseObject);
      }
    }
    return event.build();
  }

  /** What a forwarded request is about, as its event's {@code objectRef} names it; null if no resource. */
  static ObjectReference objectRef(ClusterRequest request) {
    Authorization authorization = request.authorization();
    if (authorization == null || !(authorization.attributes() instanceof RequestAttributes.Resource resource)) {
      return null;
    }
    return objectRef(resource);
  }

  private static void level(AuditEvent.Builder event, AuditLevels.Choice level) {
    event.level(level.level());
    if (level.rule() >= 0) {
      event.annotation(AuditAnnotations.LEVEL_RULE, "levels[" + level.rule() + "]");
    }
  }

  private static void body(AuditEvent.Builder event, String annotation, ObjectReference ref, CapturedBody captured,
      String missing, Consumer<AuditObject> set) {
    if (captured == null) {
      event.annotation(annotation, missing);
      return;
    }
    RecordedBody recorded = BodyRedaction.record(ref, captured);
    if (recorded instanceof RecordedBody.Written written) {
      set.accept(written.object());
      if (written.redactedFields() > 0) {
        event.annotation(annotation, "redacted " + written.redactedFields() + " credential-like value"
            + (written.redactedFields() == 1 ? "" : "s"));
      }
    } else if (recorded instanceof RecordedBody.Omitted omitted) {
      event.annotation(annotation, omitted.reason());
    }
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
      event.objectRef(objectRef(resource));
    }
  }

  private static ObjectReference objectRef(RequestAttributes.Resource resource) {
    return new ObjectReference(
        resource.resource(),
        emptyToNull(resource.namespace()),
        emptyToNull(resource.name()),
        resource.apiGroup(),
        resource.apiVersion(),
        emptyToNull(resource.subresource()));
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
