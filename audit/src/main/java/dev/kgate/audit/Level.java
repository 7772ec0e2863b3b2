package dev.kgate.audit;

/**
 * How much of a request an event records, as in the Kubernetes audit policy: {@code Metadata}
 * (who, what, where, outcome; no body), {@code Request} (plus the request body as {@code
 * requestObject}) or {@code RequestResponse} (plus the response body as {@code responseObject}).
 * Bodies are redacted before they are written ({@code dev.kgate.audit.redact.BodyRedaction}).
 * {@code None} exists only so events keep the Kubernetes vocabulary: the gateway never writes it,
 * because every request is audited.
 */
public enum Level {
  None,
  Metadata,
  Request,
  RequestResponse;

  /** Whether events at this level carry the request body. */
  public boolean recordsRequest() {
    return this == Request || this == RequestResponse;
  }

  /** Whether events at this level carry the response body. */
  public boolean recordsResponse() {
    return this == RequestResponse;
  }
}
