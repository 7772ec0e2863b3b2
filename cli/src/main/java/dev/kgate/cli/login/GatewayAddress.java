package dev.kgate.cli.login;

import java.net.URI;
import java.net.URISyntaxException;

/** The gateway's base address as people type it: {@code https://gw.example.com[:port]}, nothing after. */
final class GatewayAddress {

  private GatewayAddress() {}

  /**
   * Parses and checks a gateway address. Only {@code https} is accepted: the plugin sends bearer
   * tokens to it. A trailing slash is dropped; a path, query or fragment is refused, because kgate
   * adds its own ({@code /clusters/<name>}).
   */
  static URI parse(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL like https://gateway.example.com");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + text + "' is not an https URL like https://gateway.example.com");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    if (!path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("'" + text + "' has a path, query or fragment; give the gateway's address only,"
          + " like https://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : ""));
    }
    return URI.create("https://" + uri.getRawAuthority());
  }

  /** The address without a trailing slash. */
  static String text(URI gateway) {
    return OidcProvider.stripSlash(gateway.toString());
  }
}
