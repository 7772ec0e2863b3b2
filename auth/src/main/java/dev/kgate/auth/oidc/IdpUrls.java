package dev.kgate.auth.oidc;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which URLs the gateway will fetch OIDC documents and keys from: https anywhere, http only on
 * the loopback interface (tests and the demo's built-in IdP). Keys fetched over plain http from a
 * remote host could be swapped by anyone on the path, and a {@code file:} or other scheme in a
 * discovery document must never make the gateway read local resources.
 */
final class IdpUrls {

  private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private IdpUrls() {}

  /** @return what is wrong with fetching from {@code uri}, or empty when it may be fetched */
  static Optional<String> problem(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      return Optional.of("expected an absolute https URL, got " + Failures.printable(uri.toString()));
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      return Optional.of("plain http is accepted only for loopback hosts, got "
          + Failures.printable(uri.toString()));
    }
    return Optional.empty();
  }

  /** True for localhost and loopback IP literals; never resolves other names through DNS. */
  static boolean isLoopback(String host) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4_LITERAL.matcher(bare).matches() && !bare.contains(":")) {
      return false;
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
