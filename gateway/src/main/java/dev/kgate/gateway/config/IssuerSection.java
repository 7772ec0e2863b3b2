package dev.kgate.gateway.config;

import dev.kgate.auth.IssuerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads {@code oidc.issuers}: the identity providers whose tokens the gateway accepts. */
final class IssuerSection {

  private static final List<String> OIDC_KEYS = List.of("issuers");
  private static final List<String> ISSUER_KEYS =
      List.of("url", "audiences", "clientId", "algorithms", "clockSkew", "ca", "claims");
  private static final List<String> CLAIM_KEYS =
      List.of("username", "usernamePrefix", "groups", "groupsPrefix");

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
    IssuerSettings.ClaimMapping claims = claims(node.get("claims"));
    if (node.errorCount() != errorsBefore) {
      return null;
    }
    return new IssuerSettings(url, audiences, clientId, algorithms, clockSkew, claims, ca);
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
    return username == null ? null : new IssuerSettings.ClaimMapping(username, usernamePrefix, groups, groupsPrefix);
  }
}
