package dev.kgate.sim.keycloak;

import java.net.CookieHandler;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cookie jar of a browser talking to one test IdP on loopback: every cookie the IdP sets is
 * sent back on the next request. The JDK's {@link java.net.CookieManager} withholds cookies marked
 * {@code Secure} on plain http, which Keycloak sets even on http://127.0.0.1 (browsers treat
 * loopback as a secure context and send them); without them the login forms fail with
 * {@code cookie_not_found}. Expired or emptied cookies are dropped. Domains and paths are not
 * tracked: this jar serves one host only.
 */
final class BrowserCookies extends CookieHandler {

  private final Map<String, String> cookies = new LinkedHashMap<>();

  @Override
  public synchronized Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
    if (cookies.isEmpty()) {
      return Map.of();
    }
    String header = cookies.entrySet().stream()
        .map(cookie -> cookie.getKey() + "=" + cookie.getValue())
        .collect(Collectors.joining("; "));
    return Map.of("Cookie", List.of(header));
  }

  @Override
  public synchronized void put(URI uri, Map<String, List<String>> responseHeaders) {
    responseHeaders.forEach((name, values) -> {
      if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
        values.forEach(this::set);
      }
    });
  }

  private void set(String setCookie) {
    String[] parts = setCookie.split(";");
    int equals = parts[0].indexOf('=');
    if (equals <= 0) {
      return;
    }
    String name = parts[0].substring(0, equals).strip();
    String value = parts[0].substring(equals + 1).strip();
    boolean removed = value.isEmpty();
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i].strip().toLowerCase(Locale.ROOT);
      if (attribute.equals("max-age=0") || attribute.startsWith("max-age=-")
          || attribute.startsWith("expires=thu, 01 jan 1970") || attribute.startsWith("expires=thu, 01-jan-1970")) {
        removed = true;
      }
    }
    if (removed) {
      cookies.remove(name);
    } else {
      cookies.put(name, value);
    }
  }
}
