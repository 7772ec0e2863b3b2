package dev.kgate.gateway.status;

import java.util.Objects;

/**
 * Everything that can stop a request before or while it is forwarded, as a value. {@link
 * KubeStatus} turns each into the Kubernetes {@code Status} kubectl understands, in one place; the
 * {@code detail} goes to the operational log only.
 */
public sealed interface Failure {

  /** The message the person reads (kubectl prints it). Never holds a token or key material. */
  String message();

  /** Operator-facing cause for the log, never shown to the client. */
  String detail();

  /** The request could not be parsed or is ambiguous; the connection is not reused. */
  record BadRequest(String message, String detail) implements Failure {}

  /**
   * No usable identity: missing, malformed, expired or untrusted token.
   *
   * @param reason a stable, low-cardinality name of what failed (metrics label), e.g. {@code EXPIRED}
   */
  record Unauthenticated(String message, String detail, String reason) implements Failure {}

  /**
   * Allowed only after a stronger or fresher login (RFC 9470): 401 with {@code wwwAuthenticate}
   * as the {@code WWW-Authenticate} challenge, and a message naming the {@code kgate login} to run.
   */
  record StepUpRequired(String message, String detail, String wwwAuthenticate) implements Failure {}

  /** Authenticated but not allowed; also used for unknown clusters so the two look alike. */
  record Forbidden(String message, String detail) implements Failure {}

  /**
   * Over a fair-use limit (per-person rate, requests in flight, open streams, or the gateway's
   * connection limit): 429 with {@code Retry-After: retryAfterSeconds}. With {@code dropConnection}
   * the connection is closed after the answer, so the client's retry opens a new one.
   */
  record TooManyRequests(String message, String detail, long retryAfterSeconds, boolean dropConnection)
      implements Failure {

    /** Over a per-person limit; the connection stays. */
    public TooManyRequests(String message, String detail, long retryAfterSeconds) {
      this(message, detail, retryAfterSeconds, false);
    }
  }

  /** A path that is not a gateway route at all (not under {@code /clusters/}). */
  record NotFound(String message, String detail) implements Failure {}

  /**
   * The gateway itself cannot serve the request safely right now (the audit log cannot be
   * written); the client should retry later.
   */
  record GatewayUnavailable(String message, String detail) implements Failure {}

  /** The cluster's API server could not be reached (connection refused, DNS). */
  record UpstreamUnavailable(String message, String detail) implements Failure {}

  /** The cluster's API server answered with something the gateway could not relay (TLS, protocol). */
  record UpstreamBadGateway(String message, String detail) implements Failure {}

  /** The cluster's API server did not answer in time. */
  record UpstreamTimeout(String message, String detail) implements Failure {}

}
