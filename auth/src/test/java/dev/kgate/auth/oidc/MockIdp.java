package dev.kgate.auth.oidc;

import com.nimbusds.jose.jwk.RSAKey;
import dev.kgate.auth.IssuerSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

/**
 * A real OIDC issuer for tests: mock-oauth2-server on 127.0.0.1, serving discovery and JWKS for
 * any issuer id, signing with keys the test can also use to hand-sign attack tokens, and stamping
 * times from the test's clock.
 */
final class MockIdp implements AutoCloseable {

  private final MockOAuth2Server server;
  private final KeyProvider keys = new KeyProvider();

  MockIdp(Clock clock) {
    OAuth2TokenProvider tokens = new OAuth2TokenProvider(keys, clock::instant);
    server = new MockOAuth2Server(new OAuth2Config(false, null, null, false, tokens));
    try {
      server.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The exact {@code iss} of tokens from {@code issuerId}. */
  String issuer(String issuerId) {
    return server.issuerUrl(issuerId).toString();
  }

  /** The private signing key of {@code issuerId}; its {@code kid} is the issuer id. */
  RSAKey signingKey(String issuerId) {
    return (RSAKey) keys.signingKey(issuerId);
  }

  String token(String issuerId, String subject, Map<String, Object> claims) {
    return server.issueToken(issuerId, "kgate-cli",
        new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", List.of("kgate"), claims, 3600))
        .serialize();
  }

  IssuerSettings settings(String issuerId, IssuerSettings.ClaimMapping mapping) {
    return settings(issuerId, mapping, Set.of("RS256"));
  }

  IssuerSettings settings(String issuerId, IssuerSettings.ClaimMapping mapping, Set<String> algorithms) {
    return new IssuerSettings(URI.create(issuer(issuerId)), List.of("kgate"), "kgate-cli",
        algorithms, Duration.ofSeconds(30), mapping, null);
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
