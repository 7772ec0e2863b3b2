package dev.kgate.auth.policy;

import dev.kgate.auth.stepup.LoginStrength;
import java.util.List;
import java.util.Objects;

/**
 * What the policy says about one request: {@link Allowed}, {@link StepUpRequired} (allowed after a
 * stronger or fresher login: the gateway answers 401 with an RFC 9470 challenge), or
 * {@link Denied} (403, with a message that says what the person may not do without revealing the
 * policy). Failures are values: no decision throws.
 */
public sealed interface Decision permits Decision.Allowed, Decision.StepUpRequired, Decision.Denied {

  /**
   * The request may go ahead.
   *
   * @param role               the first role (in policy order) whose rule allowed the request
   * @param ruleIndex          that rule's index in the role's {@code rules}, or
   *                           {@link #DISCOVERY_RULE} when the policy's discovery default allowed it
   * @param impersonatedGroups the groups to impersonate: the union of {@code impersonate.groups}
   *                           of every role that allowed this request, in policy order
   * @param needed             the login strength the matched rule demanded (and the person met)
   */
  record Allowed(String role, int ruleIndex, List<String> impersonatedGroups, LoginStrength needed)
      implements Decision {

    /** The rule index reported when the discovery default, not a rule, allowed the request. */
    public static final int DISCOVERY_RULE = -1;

    public Allowed {
      Objects.requireNonNull(role, "role");
      impersonatedGroups = List.copyOf(impersonatedGroups);
      Objects.requireNonNull(needed, "needed");
    }

    public boolean byDiscoveryDefault() {
      return ruleIndex == DISCOVERY_RULE;
    }
  }

  /**
   * A rule would allow the request, but only after a login the person has not made (multi-factor,
   * recent enough, or with the right {@code acr}). {@code StepUp.check(identity, needed,
   * mfaMethods, clock)} turns {@link #needed} into the RFC 9470 challenge (401 with
   * {@code WWW-Authenticate} and the {@code kgate login} command to run).
   *
   * @param role      the first role whose rule would allow it
   * @param ruleIndex that rule's index in the role's {@code rules}
   * @param needed    what the login must be
   */
  record StepUpRequired(String role, int ruleIndex, LoginStrength needed) implements Decision {

    public StepUpRequired {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(needed, "needed");
    }
  }

  /**
   * The request is refused.
   *
   * @param reason  a stable, low-cardinality reason for logs and metrics
   * @param message for the person: what they may not do, never which rule said so
   * @param detail  for the audit record and the operator: which role or rule decided
   */
  record Denied(Reason reason, String message, String detail) implements Decision {

    public Denied {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(detail, "detail");
    }

    /**
     * The denial for a cluster the person cannot use. The gateway answers a request for a cluster
     * it does not know with this same denial, so nobody can probe which clusters exist.
     */
    public static Denied noAccessToCluster(String cluster) {
      Objects.requireNonNull(cluster, "cluster");
      return new Denied(
          Reason.NO_ACCESS_TO_CLUSTER,
          "you have no access to cluster " + cluster,
          "no role for this subject covers cluster " + cluster);
    }

    /** Stable denial reasons. */
    public enum Reason {
      /** The user or one of their groups is in the policy's {@code blocked} list. */
      BLOCKED,
      /** No role of the person covers the cluster (or the cluster does not exist). */
      NO_ACCESS_TO_CLUSTER,
      /** No allow rule matched. */
      NOT_ALLOWED,
      /** A deny rule matched. */
      DENY_RULE
    }
  }
}
