package dev.kgate.audit;

/**
 * The annotation keys kgate puts on its events, and the values of the decision annotation. The
 * decision says what the gateway did; the reason and rule say why, for the reviewer.
 */
public final class AuditAnnotations {

  /** {@value}: one of {@link #ALLOW}, {@link #DENY}, {@link #UNAUTHENTICATED}, {@link #ERROR}. */
  public static final String DECISION = "kgate.dev/decision";
  /** {@value}: why the gateway decided as it did, in words for a reviewer. */
  public static final String REASON = "kgate.dev/reason";
  /** {@value}: the policy rule that matched, if any. */
  public static final String RULE = "kgate.dev/rule";
  /**
   * {@value}: where the recording of an exec or attach session is, relative to the audit
   * directory ({@code sessions/<user-key>/<audit-id>.cast}); on the session's ResponseComplete.
   */
  public static final String SESSION = "kgate.dev/session";

  public static final String ALLOW = "allow";
  public static final String DENY = "deny";
  public static final String UNAUTHENTICATED = "unauthenticated";
  public static final String ERROR = "error";

  private AuditAnnotations() {}
}
