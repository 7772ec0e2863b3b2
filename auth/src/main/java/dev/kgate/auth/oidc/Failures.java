package dev.kgate.auth.oidc;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthFailure.Reason;

/**
 * The one place that words token failures. User messages tell the person what to do and never
 * quote the token; details are for operators and hold only non-secret facts (algorithm, key id,
 * issuer, claim names, times), with anything taken from an unverified token passed through
 * {@link #printable(String)} first.
 */
final class Failures {

  private static final String LOGIN = "run \"kgate login\" to get a new one";
  private static final int MAX_PRINTED_CHARS = 120;

  private Failures() {}

  static AuthFailure missingToken() {
    return new AuthFailure(
        Reason.MISSING_TOKEN,
        "this gateway needs an OIDC bearer token: run \"kgate login\"",
        "no bearer token in the request");
  }

  static AuthFailure malformed(String detail) {
    return new AuthFailure(
        Reason.MALFORMED_TOKEN, "your credential is not a token this gateway accepts: " + LOGIN, detail);
  }

  static AuthFailure disallowedAlgorithm(String detail) {
    return new AuthFailure(
        Reason.DISALLOWED_ALGORITHM,
        "your token is signed with an algorithm this gateway does not accept: " + LOGIN,
        detail);
  }

  static AuthFailure untrustedIssuer(String detail) {
    return new AuthFailure(
        Reason.UNTRUSTED_ISSUER,
        "your token comes from an identity provider this gateway does not trust:"
            + " run \"kgate login\" with this gateway's address",
        detail);
  }

  static AuthFailure wrongAudience(String detail) {
    return new AuthFailure(
        Reason.WRONG_AUDIENCE,
        "your token was not issued for this gateway: run \"kgate login\" with this gateway's address",
        detail);
  }

  static AuthFailure badSignature(String detail) {
    return new AuthFailure(
        Reason.BAD_SIGNATURE, "your token's signature is not valid: " + LOGIN, detail);
  }

  static AuthFailure unknownKey(String detail) {
    return new AuthFailure(
        Reason.UNKNOWN_KEY,
        "your token is signed with a key your identity provider does not publish: " + LOGIN,
        detail);
  }

  static AuthFailure expired(String detail) {
    return new AuthFailure(Reason.EXPIRED, "your token has expired: " + LOGIN, detail);
  }

  static AuthFailure notYetValid(String detail) {
    return new AuthFailure(
        Reason.NOT_YET_VALID,
        "your token is not valid yet: check your computer's clock, then " + LOGIN,
        detail);
  }

  static AuthFailure issuedInFuture(String detail) {
    return new AuthFailure(
        Reason.ISSUED_IN_FUTURE,
        "your token says it was issued in the future: check your computer's clock, then " + LOGIN,
        detail);
  }

  static AuthFailure missingClaim(String claim, String detail) {
    return new AuthFailure(
        Reason.MISSING_CLAIM,
        "your token has no \"" + claim + "\" claim, which this gateway requires:"
            + " ask your identity provider's administrator",
        detail);
  }

  static AuthFailure mappingFailed(String userMessage, String detail) {
    return new AuthFailure(Reason.MAPPING_FAILED, userMessage, detail);
  }

  static AuthFailure idpUnavailable(String detail) {
    return new AuthFailure(
        Reason.IDP_UNAVAILABLE,
        "the gateway cannot check your token with your identity provider right now:"
            + " try again in a minute",
        detail);
  }

  /** The gateway itself cannot take the work now; the token may be fine, so "retry" is honest. */
  static AuthFailure busy(String detail) {
    return new AuthFailure(
        Reason.IDP_UNAVAILABLE,
        "the gateway is too busy to check your token right now: try again in a moment",
        detail);
  }

  /**
   * An attacker-supplied string made safe for a log line: bounded in length, control characters
   * escaped, so a crafted {@code iss} or {@code kid} cannot forge log records.
   */
  static String printable(String untrusted) {
    if (untrusted == null) {
      return "(none)";
    }
    StringBuilder out = new StringBuilder(Math.min(untrusted.length(), MAX_PRINTED_CHARS) + 2);
    out.append('"');
    for (int i = 0; i < untrusted.length() && i < MAX_PRINTED_CHARS; i++) {
      char c = untrusted.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (untrusted.length() > MAX_PRINTED_CHARS) {
      out.append("...");
    }
    return out.append('"').toString();
  }
}
