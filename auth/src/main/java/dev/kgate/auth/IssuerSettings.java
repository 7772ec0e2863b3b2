package dev.kgate.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One trusted OIDC issuer, validated by the gateway's config loader.
 *
 * @param issuer     the exact {@code iss} value; discovery is {@code issuer + /.well-known/openid-configuration}
 * @param audiences  accepted {@code aud} values (at least one must match)
 * @param clientId   the public client id handed to the CLI (not used for verification)
 * @param algorithms allowed JWS algorithms (never HS* or none)
 * @param clockSkew  tolerance for exp/nbf/iat
 * @param claims     how claims become a Kubernetes identity
 * @param caFile     extra CA bundle (PEM) to trust for the IdP's TLS, or null for the JDK's trust store
 */
public record IssuerSettings(
    URI issuer,
    List<String> audiences,
    String clientId,
    Set<String> algorithms,
    Duration clockSkew,
    ClaimMapping claims,
    Path caFile) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "PS256", "ES256");

  public IssuerSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(clockSkew, "clockSkew");
    audiences = List.copyOf(audiences);
    algorithms = Set.copyOf(algorithms);
  }

  /**
   * @param username       claim holding the user name ({@code sub}, {@code email}, {@code preferred_username}...)
   * @param usernamePrefix prefix added to the user name ("" for none)
   * @param groups         claim holding the groups (a list or a comma-separated string), or null for none
   * @param groupsPrefix   prefix added to each group ("" for none)
   */
  public record ClaimMapping(String username, String usernamePrefix, String groups, String groupsPrefix) {
    public ClaimMapping {
      Objects.requireNonNull(username, "username");
      usernamePrefix = usernamePrefix == null ? "" : usernamePrefix;
      groupsPrefix = groupsPrefix == null ? "" : groupsPrefix;
    }
  }
}
