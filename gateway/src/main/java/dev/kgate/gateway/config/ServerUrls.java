package dev.kgate.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Validates an API server URL: https only (the gateway's upstream credential must never cross the
 * network in clear text), a host, an optional port and base path, nothing else. Used for the
 * {@code server} key and for the URLs that kubeconfig and in-cluster credentials bring.
 */
public final class ServerUrls {

  private ServerUrls() {}

  /**
   * The URL with any trailing '/' removed, so its path can be prefixed to request paths.
   *
   * @throws IllegalArgumentException with a message fit for a {@link ConfigError}
   */
  public static URI parse(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL: " + e.getReason(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "expected an https URL like https://10.0.0.1:6443, was '" + text + "'");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("a server URL has no query, fragment or user info");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + uri.getPort());
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create("https://" + uri.getRawAuthority() + path);
  }
}
