package dev.kgate.audit;

/**
 * How much of a request an event records, as in the Kubernetes audit policy. kgate writes
 * {@code Metadata} (no bodies); the other levels exist so events keep the Kubernetes vocabulary.
 */
public enum Level {
  None,
  Metadata,
  Request,
  RequestResponse
}
