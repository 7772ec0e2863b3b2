package dev.kgate.cli.login;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the person asks of the authentication, turned into OpenID Connect request parameters:
 * <ul>
 *   <li>{@code --scope} → {@code scope} (default {@value #DEFAULT_SCOPE});</li>
 *   <li>{@code --acr X} → {@code acr_values=X}: the IdP picks the factors for that level (the
 *       Keycloak realm maps {@code mfa} to a password plus OTP);</li>
 *   <li>{@code --mfa} → {@code prompt=login}: a fresh authentication instead of the IdP's session,
 *       so the IdP's policy for an interactive login (with its second factor) applies and
 *       {@code auth_time} is now; with {@code --acr} as well, the IdP steps up to that level;</li>
 *   <li>{@code --max-age D} → {@code max_age=<seconds>}: the IdP re-authenticates when its session
 *       is older than that, which the gateway's MFA freshness rules read from {@code auth_time}.</li>
 * </ul>
 * The device flow sends the same parameters; Keycloak ignores {@code acr_values} there, which is
 * why the gateway enforces MFA on {@code amr} too.
 *
 * @param acr may be null
 * @param maxAge may be null
 */
record AuthParameters(String scope, boolean mfa, String acr, Duration maxAge) {

  static final String DEFAULT_SCOPE = "openid profile email offline_access";

  AuthParameters {
    Objects.requireNonNull(scope, "scope");
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("--max-age must not be negative");
    }
  }

  static AuthParameters defaults() {
    return new AuthParameters(DEFAULT_SCOPE, false, null, null);
  }

  /** The defaults, asking for {@code scope} (the gateway's) instead of the CLI's own when not null. */
  static AuthParameters withScope(String scope) {
    return new AuthParameters(scope != null ? scope : DEFAULT_SCOPE, false, null, null);
  }

  /** The request parameters beyond the flow's own (scope included). */
  Map<String, String> requestParameters() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("scope", scope);
    if (acr != null && !acr.isBlank()) {
      parameters.put("acr_values", acr);
    }
    if (mfa) {
      parameters.put("prompt", "login");
    }
    if (maxAge != null) {
      parameters.put("max_age", Long.toString(maxAge.toSeconds()));
    }
    return parameters;
  }
}
