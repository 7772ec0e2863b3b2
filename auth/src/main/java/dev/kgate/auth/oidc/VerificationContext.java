package dev.kgate.auth.oidc;

import com.nimbusds.jose.proc.SecurityContext;

/**
 * Per-token notes the key selector leaves for the verifier, so a failed verification can be named
 * precisely: no key with that {@code kid} (UNKNOWN_KEY) versus a key that did not match the
 * signature (BAD_SIGNATURE). One instance per verification; never shared between threads.
 */
final class VerificationContext implements SecurityContext {

  private int keyCandidates;
  private boolean refetchRateLimited;

  int keyCandidates() {
    return keyCandidates;
  }

  void keyCandidates(int count) {
    this.keyCandidates = count;
  }

  boolean refetchRateLimited() {
    return refetchRateLimited;
  }

  void markRefetchRateLimited() {
    this.refetchRateLimited = true;
  }
}
