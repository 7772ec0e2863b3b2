package dev.kgate.audit;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One audit event: a superset of the Kubernetes {@code audit.k8s.io/v1} {@code Event}, plus what
 * only the gateway knows (cluster, token issuer and subject, amr/acr, latency and bytes). It never
 * holds a body other than the redacted {@code requestObject} and {@code responseObject} its
 * {@link Level} asks for. {@link AuditEventJson} writes it as one JSON line with the field names
 * Kubernetes uses; {@link #builder()} is how the gateway fills it.
 *
 * <p>Nullable: {@code verb}, {@code impersonatedUser}, {@code userAgent}, {@code objectRef},
 * {@code responseStatus}, {@code requestObject}, {@code responseObject}, the kgate fields, and the
 * three numbers (unknown at {@code RequestReceived}). {@code user} is the person as the gateway
 * authenticated them ({@link UserInfo#anonymous()} when no token was valid); {@code
 * impersonatedUser} is who the gateway asked the API server to act as.
 */
public record AuditEvent(
    Level level,
    String auditId,
    Stage stage,
    String requestUri,
    String verb,
    UserInfo user,
    UserInfo impersonatedUser,
    List<String> sourceIps,
    String userAgent,
    ObjectReference objectRef,
    ResponseStatus responseStatus,
    AuditObject requestObject,
    AuditObject responseObject,
    Instant requestReceivedTimestamp,
    Instant stageTimestamp,
    Map<String, String> annotations,
    String cluster,
    String issuer,
    String subject,
    List<String> amr,
    String acr,
    Long latencyMillis,
    Long requestBytes,
    Long responseBytes) {

  public AuditEvent {
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(auditId, "auditId");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(requestUri, "requestUri");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(stageTimestamp, "stageTimestamp");
    if (requestReceivedTimestamp == null) {
      requestReceivedTimestamp = stageTimestamp;
    }
    sourceIps = sourceIps == null ? List.of() : List.copyOf(sourceIps);
    annotations = annotations == null
        ? Map.of()
        : Collections.unmodifiableMap(new TreeMap<>(annotations));
    amr = amr == null ? List.of() : List.copyOf(amr);
  }

  /** A builder with level {@code Metadata}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this event's values. */
  public Builder toBuilder() {
    return new Builder()
        .level(level).auditId(auditId).stage(stage).requestUri(requestUri).verb(verb)
        .user(user).impersonatedUser(impersonatedUser).sourceIps(sourceIps).userAgent(userAgent)
        .objectRef(objectRef).responseStatus(responseStatus)
        .requestObject(requestObject).responseObject(responseObject)
        .requestReceivedTimestamp(requestReceivedTimestamp).stageTimestamp(stageTimestamp)
        .annotations(annotations).cluster(cluster).issuer(issuer).subject(subject).amr(amr)
        .acr(acr).latencyMillis(latencyMillis).requestBytes(requestBytes)
        .responseBytes(responseBytes);
  }

  /** The value of the {@link AuditAnnotations#DECISION} annotation, or null. */
  public String decision() {
    return annotations.get(AuditAnnotations.DECISION);
  }

  /** Whether the gateway refused this request (denied by policy, or no valid token). */
  public boolean denied() {
    String decision = decision();
    return AuditAnnotations.DENY.equals(decision)
        || AuditAnnotations.UNAUTHENTICATED.equals(decision);
  }

  /** Fills an {@link AuditEvent} field by field; {@link #build()} checks the required ones. */
  public static final class Builder {
    private Level level = Level.Metadata;
    private String auditId;
    private Stage stage;
    private String requestUri;
    private String verb;
    private UserInfo user;
    private UserInfo impersonatedUser;
    private List<String> sourceIps = List.of();
    private String userAgent;
    private ObjectReference objectRef;
    private ResponseStatus responseStatus;
    private AuditObject requestObject;
    private AuditObject responseObject;
    private Instant requestReceivedTimestamp;
    private Instant stageTimestamp;
    private final Map<String, String> annotations = new TreeMap<>();
    private String cluster;
    private String issuer;
    private String subject;
    private List<String> amr = List.of();
    private String acr;
    private Long latencyMillis;
    private Long requestBytes;
    private Long responseBytes;

    private Builder() {}

    public Builder level(Level level) { this.level = level; return this; }
    public Builder auditId(String auditId) { this.auditId = auditId; return this; }
    public Builder stage(Stage stage) { this.stage = stage; return this; }
    public Builder requestUri(String requestUri) { this.requestUri = requestUri; return this; }
    public Builder verb(String verb) { this.verb = verb; return this; }
    public Builder user(UserInfo user) { this.user = user; return this; }
    public Builder impersonatedUser(UserInfo impersonatedUser) { this.impersonatedUser = impersonatedUser; return this; }
    public Builder sourceIps(List<String> sourceIps) { this.sourceIps = sourceIps; return this; }
    public Builder userAgent(String userAgent) { this.userAgent = userAgent; return this; }
    public Builder objectRef(ObjectReference objectRef) { this.objectRef = objectRef; return this; }
    public Builder responseStatus(ResponseStatus responseStatus) { this.responseStatus = responseStatus; return this; }
    public Builder requestObject(AuditObject requestObject) { this.requestObject = requestObject; return this; }
    public Builder responseObject(AuditObject responseObject) { this.responseObject = responseObject; return this; }
    public Builder requestReceivedTimestamp(Instant at) { this.requestReceivedTimestamp = at; return this; }
    public Builder stageTimestamp(Instant at) { this.stageTimestamp = at; return this; }
    public Builder cluster(String cluster) { this.cluster = cluster; return this; }
    public Builder issuer(String issuer) { this.issuer = issuer; return this; }
    public Builder subject(String subject) { this.subject = subject; return this; }
    public Builder amr(List<String> amr) { this.amr = amr; return this; }
    public Builder acr(String acr) { this.acr = acr; return this; }
    public Builder latencyMillis(Long latencyMillis) { this.latencyMillis = latencyMillis; return this; }
    public Builder requestBytes(Long requestBytes) { this.requestBytes = requestBytes; return this; }
    public Builder responseBytes(Long responseBytes) { this.responseBytes = responseBytes; return this; }

    /** Replaces all annotations. */
    public Builder annotations(Map<String, String> annotations) {
      this.annotations.clear();
      this.annotations.putAll(annotations);
      return this;
    }

    /** Adds or replaces one annotation. */
    public Builder annotation(String key, String value) {
      annotations.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Sets the {@link AuditAnnotations#DECISION} annotation. */
    public Builder decision(String decision) {
      return annotation(AuditAnnotations.DECISION, decision);
    }

    /** The event; throws {@link NullPointerException} naming a missing required field. */
    public AuditEvent build() {
      return new AuditEvent(level, auditId, stage, requestUri, verb, user, impersonatedUser,
          sourceIps, userAgent, objectRef, responseStatus, requestObject, responseObject, requestReceivedTimestamp,
          stageTimestamp, annotations, cluster, issuer, subject, amr, acr, latencyMillis,
          requestBytes, responseBytes);
    }
  }
}
