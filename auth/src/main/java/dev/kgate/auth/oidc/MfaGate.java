package dev.kgate.auth.oidc;

import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings.MfaRule;
import java.util.Objects;

/**
 * The issuer-wide login strength: every token of an issuer with an {@link MfaRule} must show one
 * of the accepted {@code amr} methods or {@code acr} values, or it is refused as
 * {@link AuthFailure.Reason#MFA_REQUIRED} with the command that gets a token that passes.
 *
 * <p>Threat: a phished or reused password alone must not reach any cluster. Policy rules may ask
 * for more (fresher, stronger) per operation through step-up; this gate is the floor.
 */
final class MfaGate {

  static final String LOGIN_WITH_MFA = "kgate login --mfa";

  private final String issuer;
  private final MfaRule rule;

  MfaGate(String issuer, MfaRule rule) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.rule = Objects.requireNonNull(rule, "rule");
  }

  Checked<Identity> check(Identity identity) {
    if (rule.isMetBy(identity.amr(), identity.acr())) {
      return Checked.ok(identity);
    }
    return Checked.failed(new AuthFailure(
        AuthFailure.Reason.MFA_REQUIRED,
        "this gateway requires a multi-factor login, and your token shows none:"
            + " run \"" + LOGIN_WITH_MFA + "\"",
        "amr " + identity.amr() + " has none of " + rule.amrAny() + " and acr "
            + Failures.printable(identity.acr()) + " is none of " + rule.acrAny() + " (issuer " + issuer + ")"));
  }
}
