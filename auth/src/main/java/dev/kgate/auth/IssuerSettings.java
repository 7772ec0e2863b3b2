package dev.kgate.auth;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * @param tokenTypes the JOSE {@code typ} header values accepted from this issuer
 * @param mfa        the login strength every token of this issuer must show ({@link MfaRule#NONE} for none)
 */
public record IssuerSettings(
    URI issuer,
    List<String> audiences,
    String clientId,
    Set<String> algorithms,
    Duration clockSkew,
    ClaimMapping claims,
    Path caFile,
    TokenTypes tokenTypes,
    MfaRule mfa) {

  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "PS256", "ES256");

  public IssuerSettings {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(clockSkew, "clockSkew");
    Objects.requireNonNull(tokenTypes, "tokenTypes");
    Objects.requireNonNull(mfa, "mfa");
    audiences = List.copyOf(audiences);
    algorithms = Set.copyOf(algorithms);
  }

  /** An issuer that accepts the usual token types ({@link TokenTypes#DEFAULT}) and needs no MFA. */
  public IssuerSettings(
      URI issuer, List<String> audiences, String clientId, Set<String> algorithms, Duration clockSkew,
      ClaimMapping claims, Path caFile) {
    this(issuer, audiences, clientId, algorithms, clockSkew, claims, caFile, TokenTypes.DEFAULT, MfaRule.NONE);
  }

  public IssuerSettings withTokenTypes(TokenTypes types) {
    return new IssuerSettings(issuer, audiences, clientId, algorithms, clockSkew, claims, caFile, types, mfa);
  }

  public IssuerSettings withMfa(MfaRule rule) {
    return new IssuerSettings(issuer, audiences, clientId, algorithms, clockSkew, claims, caFile, tokenTypes, rule);
  }

  public IssuerSettings withClaims(ClaimMapping mapping) {
    return new IssuerSettings(issuer, audiences, clientId, algorithms, clockSkew, mapping, caFile, tokenTypes, mfa);
  }

  /**
   * @param username       claim holding the user name ({@code sub}, {@code email}, {@code preferred_username}...)
   * @param usernamePrefix prefix added to the user name ("" for none)
   * @param groups         claim holding the groups (a list or a comma-separated string), or null for none
   * @param groupsPrefix   prefix added to each group ("" for none)
   * @param extra          claims copied into {@link Identity#extra()} under {@code kgate.dev/<claim in lowercase>}
   *                       (e.g. {@code acr}, {@code amr}, {@code sid}, {@code iss})
   * @param required       claims that must be present and equal a value (e.g. {@code tid}, {@code hd}),
   *                       checked in this order
   */
  public record ClaimMapping(
      String username,
      String usernamePrefix,
      String groups,
      String groupsPrefix,
      List<String> extra,
      Map<String, String> required) {

    /** The prefix of every extra key this gateway adds ({@code kgate.dev/acr}, ...). */
    public static final String EXTRA_KEY_PREFIX = "kgate.dev/";

    public ClaimMapping {
      Objects.requireNonNull(username, "username");
      usernamePrefix = usernamePrefix == null ? "" : usernamePrefix;
      groupsPrefix = groupsPrefix == null ? "" : groupsPrefix;
      extra = List.copyOf(extra);
      required = Collections.unmodifiableMap(new LinkedHashMap<>(required));
    }

    /** A mapping without extras or required claims. */
    public ClaimMapping(String username, String usernamePrefix, String groups, String groupsPrefix) {
      this(username, usernamePrefix, groups, groupsPrefix, List.of(), Map.of());
    }

    public ClaimMapping withExtra(List<String> claims) {
      return new ClaimMapping(username, usernamePrefix, groups, groupsPrefix, claims, required);
    }

    public ClaimMapping withRequired(Map<String, String> claimValues) {
      return new ClaimMapping(username, usernamePrefix, groups, groupsPrefix, extra, claimValues);
    }

    /** The {@link Identity#extra()} key for {@code claim}: {@code kgate.dev/} and the claim in lowercase. */
    public static String extraKey(String claim) {
      return EXTRA_KEY_PREFIX + claim.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The JOSE {@code typ} header values an issuer's tokens may carry. Compared as RFC 7515 §4.1.9
   * says: without case, and with an {@code application/} prefix optional. Keycloak's access
   * tokens say {@code JWT}; RFC 9068 access tokens say {@code at+jwt}; some IdPs send none.
   *
   * @param types         accepted values in lowercase without {@code application/}: {@code jwt}, {@code at+jwt}
   * @param absentAllowed whether a token without a {@code typ} header passes
   */
  public record TokenTypes(Set<String> types, boolean absentAllowed) {

    /** Every value kgate can accept: {@code JWT} and {@code at+jwt}. */
    public static final Set<String> KNOWN = Set.of("jwt", "at+jwt");

    /** {@code JWT}, {@code at+jwt}, or no {@code typ} at all. */
    public static final TokenTypes DEFAULT = new TokenTypes(KNOWN, true);

    public TokenTypes {
      Set<String> normalized = new LinkedHashSet<>();
      for (String type : types) {
        normalized.add(normalize(Objects.requireNonNull(type, "type")));
      }
      types = Set.copyOf(normalized);
    }

    /** @param typ the header's {@code typ}, or null when the token has none */
    public boolean accepts(String typ) {
      return typ == null ? absentAllowed : types.contains(normalize(typ));
    }

    /** Lowercase, without the optional {@code application/} media-type prefix. */
    public static String normalize(String typ) {
      String lower = typ.toLowerCase(Locale.ROOT);
      return lower.startsWith("application/") ? lower.substring("application/".length()) : lower;
    }
  }

  /**
   * The login strength an issuer's tokens must show to be accepted at all: at least one of the
   * {@code amr} methods (RFC 8176) in {@link #amrAny}, or an {@code acr} in {@link #acrAny}. Both
   * exist because IdPs differ: Keycloak's device flow ignores {@code acr_values} but reports
   * {@code amr}; Entra ID puts {@code mfa} in {@code amr}. Both empty means no requirement.
   *
   * @param amrAny accepted authentication methods, e.g. {@code mfa, otp, hwk}
   * @param acrAny accepted authentication context classes
   */
  public record MfaRule(Set<String> amrAny, Set<String> acrAny) {

    public static final MfaRule NONE = new MfaRule(Set.of(), Set.of());

    public MfaRule {
      amrAny = Set.copyOf(amrAny);
      acrAny = Set.copyOf(acrAny);
    }

    public boolean requiresAnything() {
      return !amrAny.isEmpty() || !acrAny.isEmpty();
    }

    /** Whether a token with these {@code amr} and {@code acr} (null when absent) meets the rule. */
    public boolean isMetBy(List<String> amr, String acr) {
      return !requiresAnything()
          || amr.stream().anyMatch(amrAny::contains)
          || (acr != null && acrAny.contains(acr));
    }
  }
}
