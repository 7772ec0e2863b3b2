package dev.kgate.cli.login;

/** No usable token in the cache, no working refresh token, and no way to ask the person now. */
final class LoginRequiredException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  LoginRequiredException(String message) {
    super(message);
  }
}
