package dev.kgate.auth;

/** The outcome of authenticating one request: a verified identity, or a failure as a value. */
public sealed interface AuthResult permits AuthResult.Authenticated, AuthFailure {

  record Authenticated(Identity identity) implements AuthResult {}
}
