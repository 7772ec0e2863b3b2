package dev.kgate.audit.webhook;

import java.time.Duration;

/** What became of one POST of a batch. */
sealed interface Delivery {

  /** The receiver took the batch (2xx): delete it. */
  record Delivered(int status) implements Delivery {}

  /**
   * The receiver refused this batch for good (4xx other than 401, 403, 408 and 429): resending
   * it would fail the same way, so it is set aside, not retried. {@code detail} is the start of
   * the receiver's answer.
   */
  record Rejected(int status, String detail) implements Delivery {}

  /**
   * The batch did not get through for a reason that may pass (no connection, TLS failure,
   * timeout, 5xx, 408, 429, credentials refused): try again. {@code retryAfter} is what the
   * receiver asked for, or null.
   */
  record Retry(String reason, Duration retryAfter) implements Delivery {}
}
