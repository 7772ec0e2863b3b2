package dev.kgate.cli.audit;

import dev.kgate.audit.AuditAnnotations;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one user did in a report's period: requests counted per cluster and verb, the refusals,
 * the interactive sessions, the reads of Secrets, and when the user first reached each cluster
 * (over the whole log, so a reviewer sees which access is new). Lists are oldest first once
 * {@link #finish} has run.
 */
final class UserActivity {

  /** The key for requests that named no cluster or no verb (refused before routing, discovery). */
  static final String NONE = "";

  /**
   * The first request of a user to a cluster.
   *
   * @param inPeriod whether it falls in the report's period: access that is new
   */
  record FirstAccess(String cluster, AuditedRequest request, boolean inPeriod) {}

  static final Comparator<AuditedRequest> OLDEST_FIRST =
      Comparator.comparing(AuditedRequest::start).thenComparing(AuditedRequest::auditId);

  private final String user;
  private final SortedMap<String, SortedMap<String, Long>> requests = new TreeMap<>();
  private long total;
  private long errors;
  private final List<AuditedRequest> denials = new ArrayList<>();
  private final List<AuditedRequest> sessions = new ArrayList<>();
  private final List<AuditedRequest> secretReads = new ArrayList<>();
  private final List<FirstAccess> firstAccess = new ArrayList<>();

  UserActivity(String user) {
    this.user = Objects.requireNonNull(user, "user");
  }

  /** Counts a request of this user's that falls in the period. */
  void add(AuditedRequest request) {
    total++;
    requests.computeIfAbsent(orNone(request.cluster()), cluster -> new TreeMap<>())
        .merge(orNone(request.verb()), 1L, Long::sum);
    if (request.denied()) {
      denials.add(request);
    } else if (AuditAnnotations.ERROR.equals(request.decision())) {
      errors++;
    }
    if (request.sessionKind() != null) {
      sessions.add(request);
    }
    if (request.secretRead()) {
      secretReads.add(request);
    }
  }

  /** Sorts the lists and records the first request to each cluster this user ever made. */
  void finish(Map<String, AuditedRequest> firstByCluster, TimeWindow period) {
    denials.sort(OLDEST_FIRST);
    sessions.sort(OLDEST_FIRST);
    secretReads.sort(OLDEST_FIRST);
    new TreeMap<>(firstByCluster).forEach((cluster, first) ->
        firstAccess.add(new FirstAccess(cluster, first, period.contains(first.start()))));
  }

  private static String orNone(String value) {
    return value == null ? NONE : value;
  }

  String user() {
    return user;
  }

  /** Requests in the period. */
  long total() {
    return total;
  }

  /** Requests the gateway could not complete (an API server it could not reach). */
  long errors() {
    return errors;
  }

  /** Request counts: cluster, then verb, both in name order ({@link #NONE} first). */
  SortedMap<String, SortedMap<String, Long>> requestsByClusterAndVerb() {
    return Collections.unmodifiableSortedMap(requests);
  }

  List<AuditedRequest> denials() {
    return Collections.unmodifiableList(denials);
  }

  List<AuditedRequest> sessions() {
    return Collections.unmodifiableList(sessions);
  }

  /** Reads of Secrets, allowed and refused. */
  List<AuditedRequest> secretReads() {
    return Collections.unmodifiableList(secretReads);
  }

  /** The reads of Secrets the gateway let through. */
  long allowedSecretReads() {
    return secretReads.stream().filter(read -> AuditAnnotations.ALLOW.equals(read.decision())).count();
  }

  /** One entry per cluster this user ever reached before the period's end, in cluster order. */
  List<FirstAccess> firstAccess() {
    return Collections.unmodifiableList(firstAccess);
  }

  /** How many clusters this user reached for the first time in the period. */
  long newClusters() {
    return firstAccess.stream().filter(FirstAccess::inPeriod).count();
  }
}
