package dev.kgate.gateway.tls;

/**
 * A PEM file that cannot be used: unreadable, empty, malformed, encrypted, or a key that does not
 * belong to its certificate. The message names the problem in words an operator can act on and
 * never contains key material.
 */
public final class PemException extends Exception {

  private static final long serialVersionUID = 1L;

  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}
