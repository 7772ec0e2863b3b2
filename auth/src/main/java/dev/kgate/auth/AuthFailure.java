package dev.kgate.auth;

import java.util.Objects;

/**
 * Why a token was refused. {@link #userMessage()} is safe to show the person (it never echoes the
 * token or key material); {@link #detail()} is for the operational log and the audit record.
 *
 * @param reason      a stable, low-cardinality reason (used in logs and metrics)
 * @param userMessage what the person should read and do, e.g. "your token has expired: run `kgate login`"
 * @param detail      the technical cause, for operators
 */
public record AuthFailure(Reason reason, String userMessage, String detail) implements AuthResult {

  public AuthFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(userMessage, "userMessage");
    Objects.requireNonNull(detail, "detail");
  }

  /** Stable failure reasons. */
  public enum Reason {
    MISSING_TOKEN,
    MALFORMED_TOKEN,
    DISALLOWED_ALGORITHM,
    UNTRUSTED_ISSUER,
    WRONG_AUDIENCE,
    BAD_SIGNATURE,
    UNKNOWN_KEY,
    EXPIRED,
    NOT_YET_VALID,
    ISSUED_IN_FUTURE,
    MISSING_CLAIM,
    MAPPING_FAILED,
    /** The token is valid but its issuer requires a multi-factor login it does not show. */
    MFA_REQUIRED,
    IDP_UNAVAILABLE
  }
}
