package dev.kgate.gateway.config;

import dev.kgate.auth.IssuerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads {@code oidc.issuers}: the identity providers whose tokens the gateway accepts. */
final class IssuerSection {

  private static final List<String> OIDC_KEYS = List.of("issuers");
  private static final List<String> ISSUER_KEYS =
      List.of("url", "audiences", "clientId", "algorithms", "clockSkew", "ca", "typ", "claims", "mfa");
  private static final List<String> CLAIM_KEYS =
      List.of("username", "usernamePrefix", "groups", "groupsPrefix", "extra", "required");
  private static final List<String> REQUIRED_CLAIM_KEYS = List.of("claim", "equals");
  private static final List<String> MFA_KEYS = List.of("amrAny", "acrAny");
  /** The {@code typ} list entry that admits tokens without a {@code typ} header. */
  private static final String TYP_ABSENT = "absent";
  /** A claim name that stays a valid {@code kgate.dev/<claim>} extra key once lowercased. */
  private static final Pattern EXTRA_CLAIM = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

  /** Asymmetric JWS algorithms Nimbus verifies; HS* and none are refused with their own message. */
  static final Set<String> SUPPORTED_ALGORITHMS =
      Set.of(
          "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
          "EdDSA", "Ed25519");

  private IssuerSection() {}

  static List<IssuerSettings> parse(ConfigNode oidc) {
    if (!oidc.mapping(OIDC_KEYS, true)) {
      return List.of();
    }
    ConfigNode issuersNode = oidc.get("issuers");
    int errorsBefore = issuersNode.errorCount();
    List<ConfigNode> elements = issuersNode.list();
    if (elements.isEmpty() && issuersNode.errorCount() == errorsBefore) {
      issuersNode.error("at least one issuer is required");
    }
    List<IssuerSettings> issuers = new ArrayList<>();
    Map<URI, String> seen = new HashMap<>();
    for (ConfigNode element : elements) {
      IssuerSettings issuer = issuer(element);
      if (issuer == null) {
        continue;
      }
      String earlier = seen.putIfAbsent(issuer.issuer(), element.path());
      if (earlier != null) {
        element.get("url").error("duplicate issuer, already configured at " + earlier);
      } else {
        issuers.add(issuer);
      }
    }
    return issuers;
  }

  private static IssuerSettings issuer(ConfigNode node) {
    int errorsBefore = node.errorCount();
    if (!node.mapping(ISSUER_KEYS, true)) {
      return null;
    }
    URI url = url(node.get("url"));
    ConfigNode audiencesNode = node.get("audiences");
    int audienceErrors = audiencesNode.errorCount();
    List<String> audiences = audiencesNode.strings();
    if (audiences.isEmpty() && audiencesNode.errorCount() == audienceErrors) {
      audiencesNode.error("at least one accepted audience (aud) is required");
    }
    String clientId = node.get("clientId").string();
    Set<String> algorithms = algorithms(node.get("algorithms"));
    Duration clockSkew =
        node.get("clockSkew")
            .duration(IssuerSettings.DEFAULT_CLOCK_SKEW, Duration.ZERO, ConfigLoader.MAX_CLOCK_SKEW);
    ConfigNode caNode = node.get("ca");
    Path ca = caNode.file();
    PemChecks.certificates(caNode, ca);
    IssuerSettings.TokenTypes tokenTypes = tokenTypes(node.get("typ"));
    IssuerSettings.ClaimMapping claims = claims(node.get("claims"));
    IssuerSettings.MfaRule mfa = mfa(node.get("mfa"));
    if (node.errorCount() != errorsBefore) {
      return null;
    }
    return new IssuerSettings(url, audiences, clientId, algorithms, clockSkew, claims, ca, tokenTypes, mfa);
  }

  /**
   * The issuer URL exactly as written (it must equal the tokens' {@code iss}). https only, except
   * http on a loopback host, which the demo's built-in IdP and the tests use.
   */
  private static URI url(ConfigNode node) {
    String text = node.requiredString();
    if (text == null) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      node.error("not a valid URL: " + e.getReason());
      return null;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      node.error("expected an absolute https URL like https://idp.example.com/realms/eng");
      return null;
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      node.error("must use https (http is accepted only for localhost, for tests and the demo)");
      return null;
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      node.error("an issuer URL has no query, fragment or user info");
      return null;
    }
    return uri;
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }

  private static Set<String> algorithms(ConfigNode node) {
    if (node.isAbsent()) {
      return IssuerSettings.DEFAULT_ALGORITHMS;
    }
    int errorsBefore = node.errorCount();
    List<ConfigNode> elements = node.list();
    if (elements.isEmpty()) {
      if (node.errorCount() == errorsBefore) {
        node.error("at least one algorithm is required (or leave it out for RS256, PS256, ES256)");
      }
      return Set.of();
    }
    Set<String> algorithms = new LinkedHashSet<>();
    for (ConfigNode element : elements) {
      String name = element.string();
      if (name == null) {
        continue;
      }
      String upper = name.toUpperCase(Locale.ROOT);
      if (upper.startsWith("HS")) {
        element.error(
            name
                + " is refused: an HMAC secret shared with the IdP would let anyone holding it mint"
                + " tokens; use RS256, PS256 or ES256");
      } else if (upper.equals("NONE")) {
        element.error("'none' is refused: it accepts unsigned tokens");
      } else if (!SUPPORTED_ALGORITHMS.contains(name)) {
        element.error(
            "unknown algorithm '" + name + "'; expected one of " + String.join(", ", sorted()));
      } else {
        algorithms.add(name);
      }
    }
    return algorithms;
  }

  private static List<String> sorted() {
    return SUPPORTED_ALGORITHMS.stream().sorted().toList();
  }

  private static IssuerSettings.ClaimMapping claims(ConfigNode node) {
    if (!node.mapping(CLAIM_KEYS, false)) {
      return node.isAbsent()
          ? new IssuerSettings.ClaimMapping(
              ConfigLoader.DEFAULT_USERNAME_CLAIM, "", ConfigLoader.DEFAULT_GROUPS_CLAIM, "")
          : null;
    }
    ConfigNode usernameNode = node.get("username");
    String username =
        usernameNode.isAbsent() ? ConfigLoader.DEFAULT_USERNAME_CLAIM : usernameNode.string();
    ConfigNode groupsNode = node.get("groups");
    // Missing means the default claim; an explicit null means "map no groups".
    String groups =
        groupsNode.isMissing()
            ? ConfigLoader.DEFAULT_GROUPS_CLAIM
            : groupsNode.isAbsent() ? null : groupsNode.string();
    String usernamePrefix = node.get("usernamePrefix").stringAllowingEmpty("");
    String groupsPrefix = node.get("groupsPrefix").stringAllowingEmpty("");
    List<String> extra = extraClaims(node.get("extra"));
    Map<String, String> required = requiredClaims(node.get("required"));
    return username == null
        ? null
        : new IssuerSettings.ClaimMapping(username, usernamePrefix, groups, groupsPrefix, extra, required);
  }

  /** {@code typ: [JWT, at+jwt, absent]}: accepted JOSE {@code typ} headers; absent means all three. */
  private static IssuerSettings.TokenTypes tokenTypes(ConfigNode node) {
    if (node.isAbsent()) {
      return IssuerSettings.TokenTypes.DEFAULT;
    }
    int errorsBefore = node.errorCount();
    List<ConfigNode> elements = node.list();
    if (elements.isEmpty()) {
      if (node.errorCount() == errorsBefore) {
        node.error("at least one of JWT, at+jwt, absent is required (or leave it out for all three)");
      }
      return IssuerSettings.TokenTypes.DEFAULT;
    }
    Set<String> types = new LinkedHashSet<>();
    boolean absent = false;
    for (ConfigNode element : elements) {
      String value = element.string();
      if (value == null) {
        continue;
      }
      if (value.equals(TYP_ABSENT)) {
        absent = true;
      } else if (IssuerSettings.TokenTypes.KNOWN.contains(IssuerSettings.TokenTypes.normalize(value))) {
        types.add(value);
      } else {
        element.error("unknown token type '" + value + "'; expected JWT, at+jwt or absent (no typ header)");
      }
    }
    return new IssuerSettings.TokenTypes(types, absent);
  }

  /** {@code claims.extra: [acr, amr, sid, iss]}: claims copied to {@code kgate.dev/<claim>} extras. */
  private static List<String> extraClaims(ConfigNode node) {
    List<String> claims = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (ConfigNode element : node.list()) {
      String claim = element.string();
      if (claim == null) {
        continue;
      }
      if (!EXTRA_CLAIM.matcher(claim).matches()) {
        element.error("'" + claim + "' cannot become an extra key: use a claim name of letters, digits,"
            + " '_', '-' or '.' (at most 63 characters)");
      } else if (!keys.add(IssuerSettings.ClaimMapping.extraKey(claim))) {
        element.error("'" + claim + "' is listed twice (extra keys are lowercase)");
      } else {
        claims.add(claim);
      }
    }
    return claims;
  }

  /**
   * {@code claims.required: [ { claim: tid, equals: "…" }, { claim: hd, equals: example.com } ]}:
   * claims that must be present and equal a value, checked in this order.
   */
  private static Map<String, String> requiredClaims(ConfigNode node) {
    Map<String, String> required = new LinkedHashMap<>();
    for (ConfigNode element : node.list()) {
      if (!element.mapping(REQUIRED_CLAIM_KEYS, true)) {
        continue;
      }
      String claim = element.get("claim").requiredString();
      String value = element.get("equals").requiredString();
      if (claim == null || value == null) {
        continue;
      }
      if (required.putIfAbsent(claim, value) != null) {
        element.get("claim").error("'" + claim + "' already has a required value");
      }
    }
    return required;
  }

  /** {@code mfa: { amrAny: [mfa, otp, hwk], acrAny: [] }}: the login strength every token needs. */
  private static IssuerSettings.MfaRule mfa(ConfigNode node) {
    if (!node.mapping(MFA_KEYS, false)) {
      return IssuerSettings.MfaRule.NONE;
    }
    int errorsBefore = node.errorCount();
    List<String> amrAny = node.get("amrAny").strings();
    List<String> acrAny = node.get("acrAny").strings();
    if (amrAny.isEmpty() && acrAny.isEmpty() && node.errorCount() == errorsBefore) {
      node.error("name at least one accepted method in amrAny (e.g. [mfa, otp, hwk]) or class in acrAny,"
          + " or leave mfa out");
    }
    return new IssuerSettings.MfaRule(Set.copyOf(amrAny), Set.copyOf(acrAny));
  }
}
