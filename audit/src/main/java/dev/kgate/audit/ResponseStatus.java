package dev.kgate.audit;

/**
 * The answer a request got, as in the Kubernetes audit {@code responseStatus} (a trimmed
 * {@code metav1.Status}).
 *
 * @param code    the HTTP status code
 * @param status  {@code Success} or {@code Failure}, or null
 * @param reason  a machine-readable reason such as {@code Forbidden}, or null
 * @param message the message the client was shown, or null
 */
public record ResponseStatus(int code, String status, String reason, String message) {

  /** A status with only a code. */
  public static ResponseStatus of(int code) {
    return new ResponseStatus(code, null, null, null);
  }
}
