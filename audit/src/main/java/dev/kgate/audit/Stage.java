package dev.kgate.audit;

/**
 * The stage of a request an event describes, spelled as the Kubernetes API server spells it: a
 * long-running request (watch, exec, logs -f) gets a {@code RequestReceived} event when it starts
 * and a {@code ResponseComplete} event when it ends; {@code Panic} marks a request the gateway
 * failed on internally.
 */
public enum Stage {
  RequestReceived,
  ResponseStarted,
  ResponseComplete,
  Panic
}
