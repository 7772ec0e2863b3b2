package dev.kgate.cli.audit;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One request as the audit log tells it. Most requests are one event; a long-running one (exec,
 * attach, port-forward, watch, {@code logs -f}) is a {@code RequestReceived} event when it starts
 * and a {@code ResponseComplete} event when it ends, and is one request here with both times (see
 * {@link RequestPairing}). A start without an end is a request still running when the log was
 * read, or cut short by a gateway that stopped.
 *
 * @param user   the username; every unauthenticated request is {@value UserInfo#ANONYMOUS}
 * @param reason why the gateway decided as it did: the reason annotation, else the message the
 *               client was shown; may be null
 * @param code   the HTTP status, or null when no end was recorded
 * @param end    when the response ended, or null when no end was recorded
 * @param recording where the session's recording is, relative to the audit directory, or null
 */
record AuditedRequest(String auditId, String user, String cluster, String verb, ObjectReference objectRef,
    String requestUri, String decision, String reason, Integer code, Instant start, Instant end,
    String recording) {

  /** The subresources of a pod that open an interactive stream, as Kubernetes names them. */
  static final Set<String> SESSION_SUBRESOURCES = Set.of("exec", "attach", "portforward");
  private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

  /** A request told by one event (or, for a {@code RequestReceived} event, its start only). */
  static AuditedRequest of(AuditEvent event) {
    boolean ended = event.stage() == Stage.ResponseComplete || event.stage() == Stage.Panic;
    return new AuditedRequest(event.auditId(), username(event), event.cluster(), event.verb(),
        event.objectRef(), event.requestUri(), event.decision(), ended ? reason(event) : null,
        ended && event.responseStatus() != null ? event.responseStatus().code() : null,
        event.requestReceivedTimestamp(), ended ? event.stageTimestamp() : null,
        ended ? event.annotations().get(AuditAnnotations.SESSION) : null);
  }

  /** A long-running request: its start, and the event that ended it. */
  static AuditedRequest of(AuditEvent started, AuditEvent ended) {
    AuditedRequest whole = of(ended);
    return new AuditedRequest(whole.auditId, whole.user, whole.cluster, whole.verb, whole.objectRef,
        whole.requestUri, whole.decision, whole.reason, whole.code, started.stageTimestamp(), whole.end,
        whole.recording);
  }

  private static String username(AuditEvent event) {
    return event.user().isAnonymous() ? UserInfo.ANONYMOUS : event.user().username();
  }

  private static String reason(AuditEvent event) {
    String reason = event.annotations().get(AuditAnnotations.REASON);
    if (reason == null && event.responseStatus() != null) {
      reason = event.responseStatus().message();
    }
    return reason;
  }

  /** Whether the gateway refused it: denied by policy, or no valid token. */
  boolean denied() {
    return AuditAnnotations.DENY.equals(decision) || AuditAnnotations.UNAUTHENTICATED.equals(decision);
  }

  /**
   * {@code exec}, {@code attach} or {@code portforward} when this is an interactive session the
   * gateway let through; null otherwise. A refused attempt is a denial, not a session.
   */
  String sessionKind() {
    if (objectRef == null || objectRef.subresource() == null || !AuditAnnotations.ALLOW.equals(decision)
        || !SESSION_SUBRESOURCES.contains(objectRef.subresource())) {
      return null;
    }
    return objectRef.subresource();
  }

  /** Whether it read Secrets (get, list or watch on core {@code secrets}), allowed or not. */
  boolean secretRead() {
    return objectRef != null && "secrets".equals(objectRef.resource()) && objectRef.subresource() == null
        && (objectRef.apiGroup() == null || objectRef.apiGroup().isEmpty()) && verb != null && READ_VERBS.contains(verb);
  }

  /** From start to end, or null when no end was recorded. */
  Duration duration() {
    return end == null ? null : Duration.between(start, end);
  }

  /** {@code namespace/name} of the object, {@code name} when cluster-scoped, or null. */
  String namespacedName() {
    if (objectRef == null || objectRef.name() == null || objectRef.name().isEmpty()) {
      return null;
    }
    String namespace = objectRef.namespace();
    return namespace == null || namespace.isEmpty() ? objectRef.name() : namespace + "/" + objectRef.name();
  }

  /** {@code resource/name/subresource} as the request path names it; the path when it named no object. */
  String resourceText() {
    if (objectRef == null || objectRef.resource() == null) {
      int query = requestUri.indexOf('?');
      return query < 0 ? requestUri : requestUri.substring(0, query);
    }
    StringBuilder text = new StringBuilder(objectRef.resource());
    if (objectRef.name() != null && !objectRef.name().isEmpty()) {
      text.append('/').append(objectRef.name());
    }
    if (objectRef.subresource() != null && !objectRef.subresource().isEmpty()) {
      text.append('/').append(objectRef.subresource());
    }
    return text.toString();
  }

  /**
   * What a session ran or reached, from its request's query: the command words of an exec, the
   * ports of a port-forward, the container when one was named. Empty when the query says nothing.
   */
  String sessionDetail() {
    List<String> command = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    String container = null;
    int query = requestUri.indexOf('?');
    for (String pair : query < 0 ? new String[0] : requestUri.substring(query + 1).split("&")) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        continue;
      }
      String value = decode(pair.substring(equals + 1));
      switch (pair.substring(0, equals)) {
        case "command" -> command.add(value);
        case "ports" -> ports.add(value);
        case "container" -> container = value;
        default -> { }
      }
    }
    StringBuilder detail = new StringBuilder(String.join(" ", command));
    if (!ports.isEmpty()) {
      detail.append("ports ").append(String.join(",", ports));
    }
    if (container != null) {
      detail.append(detail.length() == 0 ? "" : " ").append("(container ").append(container).append(')');
    }
    return detail.toString();
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return value; // shown as logged
    }
  }
}
