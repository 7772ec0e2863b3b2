package dev.kgate.cli.login;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The endpoints an issuer publishes at {@code <issuer>/.well-known/openid-configuration}
 * (OpenID Connect Discovery 1.0). Optional endpoints are null when not advertised.
 */
record OidcProvider(URI issuer, URI authorizationEndpoint, URI tokenEndpoint, URI deviceAuthorizationEndpoint,
    URI revocationEndpoint, List<String> codeChallengeMethods) {

  static OidcProvider discover(IdpHttp http, String issuer) {
    URI discovery = URI.create(stripSlash(issuer) + "/.well-known/openid-configuration");
    Map<String, Object> document = http.getJson(discovery).successOrThrow("OIDC discovery at " + discovery);
    String advertised = Json.string(document, "issuer");
    // Discovery §4.3: the document must name the issuer it was fetched for, or it is someone else's.
    if (advertised == null || !stripSlash(advertised).equals(stripSlash(issuer))) {
      throw new IdpException("discovery", "the discovery document at " + discovery + " names issuer "
          + advertised + ", not " + issuer);
    }
    return new OidcProvider(URI.create(advertised), required(document, "authorization_endpoint"),
        required(document, "token_endpoint"), optional(document, "device_authorization_endpoint"),
        optional(document, "revocation_endpoint"), strings(document.get("code_challenge_methods_supported")));
  }

  boolean supportsS256() {
    return codeChallengeMethods.contains("S256");
  }

  private static URI required(Map<String, Object> document, String key) {
    URI uri = optional(document, key);
    if (uri == null) {
      throw new IdpException("discovery", "the IdP's discovery document has no " + key);
    }
    return uri;
  }

  private static URI optional(Map<String, Object> document, String key) {
    String value = Json.string(document, key);
    return value == null || value.isEmpty() ? null : URI.create(value);
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof List)) {
      return List.of();
    }
    return ((List<?>) value).stream().map(String::valueOf).toList();
  }

  static String stripSlash(String uri) {
    return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
  }
}
