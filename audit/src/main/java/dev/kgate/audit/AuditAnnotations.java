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

  /**
   * {@value}: why the request body is not in the event although its level asks for it (a Secret,
   * too large, not JSON…), or how many credential-like fields were redacted in it.
   */
  public static final String REQUEST_OBJECT = "kgate.dev/request-object";
  /** {@value}: as {@link #REQUEST_OBJECT}, for the response body. */
  public static final String RESPONSE_OBJECT = "kgate.dev/response-object";
  /** {@value}: the {@code audit.levels} rule that set the event's level, as {@code levels[i]}. */
  public static final String LEVEL_RULE = "kgate.dev/level-rule";

  public static final String ALLOW = "allow";
  public static final String DENY = "deny";
  public static final String UNAUTHENTICATED = "unauthenticated";
  public static final String ERROR = "error";

  private AuditAnnotations() {}
}
