package dev.kgate.auth;

import java.util.concurrent.CompletableFuture;

/**
 * Turns a bearer token into a verified {@link Identity} or an {@link AuthFailure}. Never blocks the
 * caller: signature checks and key fetches run on the authenticator's own executor. The future
 * never completes exceptionally; every failure is an {@link AuthFailure} value.
 */
public interface Authenticator {

  /** @param bearerToken the raw token (without the "Bearer " prefix); may be null or blank */
  CompletableFuture<AuthResult> authenticate(String bearerToken);
}
