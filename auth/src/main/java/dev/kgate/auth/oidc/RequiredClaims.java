package dev.kgate.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The "this claim must equal that value" rules of one issuer, such as an Entra ID tenant
 * ({@code tid}) or a Google Workspace hosted domain ({@code hd}).
 *
 * <p>Threat: multi-tenant IdPs sign tokens for every customer with the same keys and the same
 * issuer-wide audience conventions; without a tenant rule, anyone with an account anywhere on
 * the IdP could log in. A missing claim, a list where one value is expected, or a different value
 * all fail, and the person is told in plain words which rule their account did not meet.
 */
final class RequiredClaims {

  /** Words for the claims these rules are usually about; others are named as "the X claim". */
  private static final Map<String, String> NAMES = Map.of(
      "tid", "tenant (tid)",
      "hd", "hosted domain (hd)",
      "org_id", "organisation (org_id)",
      "azp", "client (azp)");

  private final String issuer;
  private final Map<String, String> required;

  RequiredClaims(String issuer, Map<String, String> required) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.required = Objects.requireNonNull(required, "required");
  }

  /** @return the claims when every rule holds, else the first rule broken */
  Checked<JWTClaimsSet> check(JWTClaimsSet claims) {
    for (Map.Entry<String, String> rule : required.entrySet()) {
      String claim = rule.getKey();
      String expected = rule.getValue();
      Object value = claims.getClaim(claim);
      String what = NAMES.getOrDefault(claim, "\"" + claim + "\" claim");
      if (value == null) {
        return Checked.failed(Failures.mappingFailed(
            "this gateway only admits accounts whose " + what + " is \"" + expected + "\", and your token has no "
                + what + ": log in with an account of that organisation (run \"kgate login\")",
            "required claim " + claim + " missing in token from " + issuer));
      }
      if (value instanceof List<?> || value instanceof Map<?, ?>) {
        return Checked.failed(Failures.mappingFailed(
            "this gateway only admits accounts whose " + what + " is \"" + expected + "\", and in your token it"
                + " is not a single value: ask your identity provider's administrator",
            "required claim " + claim + " is a " + (value instanceof List<?> ? "list" : "JSON object")
                + " in token from " + issuer));
      }
      String actual = String.valueOf(value);
      if (!expected.equals(actual)) {
        return Checked.failed(Failures.mappingFailed(
            "this gateway only admits accounts whose " + what + " is \"" + expected + "\", and yours is "
                + Failures.printable(actual) + ": log in with an account of that organisation (run \"kgate login\")",
            "required claim " + claim + " is " + Failures.printable(actual) + ", not \"" + expected
                + "\", in token from " + issuer));
      }
    }
    return Checked.ok(claims);
  }
}
