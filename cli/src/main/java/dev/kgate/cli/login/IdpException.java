package dev.kgate.cli.login;

/**
 * The IdP refused or failed a step of a login: an OAuth error ({@code error} and
 * {@code error_description}, RFC 6749 §5.2), or an answer the CLI cannot use. The message is
 * meant for a person and never holds a token.
 */
final class IdpException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String error;

  IdpException(String error, String message) {
    super(message);
    this.error = error;
  }

  IdpException(String error, String message, Throwable cause) {
    super(message, cause);
    this.error = error;
  }

  /** The OAuth {@code error} code, e.g. {@code invalid_grant}, or a local code. */
  String error() {
    return error;
  }
}
