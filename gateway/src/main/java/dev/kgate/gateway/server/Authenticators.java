package dev.kgate.gateway.server;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.oidc.OidcAuthenticator;
import dev.kgate.auth.oidc.OidcOptions;
import java.time.Clock;
import java.util.List;

/** Builds the production authenticator from the configured issuers. */
final class Authenticators {

  private Authenticators() {}

  static OidcAuthenticator forIssuers(List<IssuerSettings> issuers) {
    return OidcAuthenticator.create(issuers, Clock.systemUTC(), OidcOptions.DEFAULTS);
  }
}
