package dev.kgate.audit.query;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.UserInfo;
import java.time.Instant;

/**
 * Which events {@link AuditQuery} returns. Every criterion is optional (null means any); all the
 * given ones must hold. Start from {@link #any()}.
 *
 * @param user       the username ({@code system:anonymous} matches every unauthenticated event)
 * @param cluster    the cluster name
 * @param verb       the Kubernetes verb ({@code get}, {@code list}, {@code create}…)
 * @param resource   the resource, or {@code resource/subresource} ({@code pods/exec})
 * @param since      only events whose stage timestamp is at or after this
 * @param deniedOnly only events the gateway refused (denied, or unauthenticated)
 */
public record AuditFilter(String user, String cluster, String verb, String resource, Instant since,
    boolean deniedOnly) {

  /** Every event. */
  public static AuditFilter any() {
    return new AuditFilter(null, null, null, null, null, false);
  }

  public AuditFilter withUser(String value) {
    return new AuditFilter(value, cluster, verb, resource, since, deniedOnly);
  }

  public AuditFilter withCluster(String value) {
    return new AuditFilter(user, value, verb, resource, since, deniedOnly);
  }

  public AuditFilter withVerb(String value) {
    return new AuditFilter(user, cluster, value, resource, since, deniedOnly);
  }

  public AuditFilter withResource(String value) {
    return new AuditFilter(user, cluster, verb, value, since, deniedOnly);
  }

  public AuditFilter withSince(Instant value) {
    return new AuditFilter(user, cluster, verb, resource, value, deniedOnly);
  }

  public AuditFilter withDeniedOnly(boolean value) {
    return new AuditFilter(user, cluster, verb, resource, since, value);
  }

  /** Whether an event passes every given criterion. */
  public boolean test(AuditEvent event) {
    if (user != null && !user.equals(event.user().username())
        && !(UserInfo.ANONYMOUS.equals(user) && event.user().isAnonymous())) {
      return false;
    }
    if (cluster != null && !cluster.equals(event.cluster())) {
      return false;
    }
    if (verb != null && !verb.equals(event.verb())) {
      return false;
    }
    if (resource != null) {
      ObjectReference ref = event.objectRef();
      if (ref == null || !(resource.equals(ref.resource()) || resource.equals(ref.qualifiedResource()))) {
        return false;
      }
    }
    if (since != null && event.stageTimestamp().isBefore(since)) {
      return false;
    }
    return !deniedOnly || event.denied();
  }
}
