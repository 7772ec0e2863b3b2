package dev.kgate.gateway.tls;

/**
 * A TLS context could not be built from files that the config loader already accepted (a file
 * changed or vanished since, or the TLS provider refused the material). Unchecked because it can
 * only happen at startup, where the only sensible reaction is to stop with its message.
 */
public final class TlsSetupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
