package dev.kgate.cli.login;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a gateway publishes about itself at {@code /.well-known/kgate} (no authentication): the
 * issuers it accepts tokens from, each with the public client id the CLI logs in as, the scopes to
 * ask for, and its version. {@code kgate login https://gw} needs nothing else to start a login.
 */
record GatewayInfo(URI gateway, String version, List<Issuer> issuers, List<String> scopes) {

  static final String PATH = "/.well-known/kgate";

  /** One accepted issuer; {@code clientId} is null when the gateway names none. */
  record Issuer(String issuer, String clientId) {}

  GatewayInfo {
    Objects.requireNonNull(gateway, "gateway");
    issuers = List.copyOf(issuers);
    scopes = List.copyOf(scopes);
  }

  static GatewayInfo fetch(IdpHttp http, URI gateway) {
    URI uri = URI.create(GatewayAddress.text(gateway) + PATH);
    Map<String, Object> document = http.getJson(uri).successOrThrow("reading " + uri);
    if (!"GatewayInfo".equals(Json.string(document, "kind"))) {
      throw new IdpException("discovery", uri + " is not a kgate gateway's self-description (no kind GatewayInfo)");
    }
    List<Issuer> issuers = new ArrayList<>();
    if (document.get("issuers") instanceof List<?> list) {
      for (Object entry : list) {
        if (entry instanceof Map<?, ?> map && map.get("issuer") instanceof String issuer) {
          issuers.add(new Issuer(OidcProvider.stripSlash(issuer), map.get("clientId") instanceof String id ? id : null));
        }
      }
    }
    List<String> scopes = new ArrayList<>();
    if (document.get("scopes") instanceof List<?> list) {
      list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(scopes::add);
    }
    return new GatewayInfo(gateway, Json.string(document, "version"), issuers, scopes);
  }

  /**
   * The issuer to log in at: {@code wanted} when given (it must be one the gateway accepts), else
   * the only one, or the only one with a client id.
   */
  Issuer issuer(String wanted) {
    if (wanted != null) {
      String normalised = OidcProvider.stripSlash(wanted);
      return issuers.stream().filter(i -> i.issuer().equals(normalised)).findFirst()
          .orElseThrow(() -> new IdpException("discovery", "the gateway " + GatewayAddress.text(gateway)
              + " does not accept tokens from " + normalised + "; it accepts: " + names()));
    }
    List<Issuer> loginable = issuers.stream().filter(i -> i.clientId() != null).toList();
    if (loginable.size() == 1) {
      return loginable.get(0);
    }
    if (issuers.size() == 1) {
      return issuers.get(0);
    }
    if (issuers.isEmpty()) {
      throw new IdpException("discovery", "the gateway " + GatewayAddress.text(gateway) + " names no issuer to log in at");
    }
    throw new IdpException("discovery", "the gateway " + GatewayAddress.text(gateway)
        + " accepts several issuers; choose one with --issuer: " + names());
  }

  /** The scopes as one {@code scope} parameter, or null when the gateway names none. */
  String scope() {
    return scopes.isEmpty() ? null : String.join(" ", scopes);
  }

  private String names() {
    return String.join(", ", issuers.stream().map(Issuer::issuer).toList());
  }
}
