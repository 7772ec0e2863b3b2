package dev.kgate.gateway.impersonate;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header hygiene between kubectl and a cluster. The threat: a client that sends its own identity
 * headers ({@code Impersonate-*}, the request-header authenticator's {@code X-Remote-*}) or forged
 * forwarding headers could make the API server believe it is someone else, because the gateway's
 * credential is allowed to impersonate. Impersonation headers are refused outright (the caller
 * answers 403); the others are dropped; hop-by-hop headers never cross the proxy.
 */
public final class UntrustedHeaders {

  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
          "upgrade", "proxy-authenticate", "proxy-authorization", "http2-settings");

  /** Headers an upgrade needs to pass through unchanged (WebSocket and SPDY handshakes). */
  private static final Set<String> UPGRADE_KEEP = Set.of("connection", "upgrade");

  private UntrustedHeaders() {}

  /** The first client-sent impersonation header, in any case or spelling variant, or null. */
  public static String impersonationHeader(HttpHeaders headers) {
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("impersonate-") || name.startsWith("impersonate_")
          || name.contains("-impersonate-") || name.startsWith("x-impersonate")) {
        return h.getKey();
      }
    }
    return null;
  }

  /**
   * Removes everything a client must not pass to an API server: its credentials, identity and
   * forwarding claims, HTTP/2 conversion artefacts, and hop-by-hop headers (including those named
   * in {@code Connection}). With {@code keepUpgrade}, {@code Connection} and {@code Upgrade} stay
   * so the handshake reaches the API server.
   */
  public static void stripRequest(HttpHeaders headers, boolean keepUpgrade) {
    List<String> remove = new ArrayList<>();
    for (String value : headers.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",")) {
        String name = token.trim().toLowerCase(Locale.ROOT);
        if (!name.isEmpty() && !(keepUpgrade && name.equals("upgrade"))) {
          remove.add(name);
        }
      }
    }
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("authorization")
          || name.equals("host")
          || name.equals("forwarded")
          || name.equals("x-real-ip")
          || name.equals("audit-id")
          || name.startsWith("impersonate-")
          || name.startsWith("x-remote-")
          || name.startsWith("x-forwarded-")
          || name.startsWith("x-http2-")
          || (HOP_BY_HOP.contains(name) && !(keepUpgrade && UPGRADE_KEEP.contains(name)))) {
        remove.add(name);
      }
    }
    for (String name : remove) {
      headers.remove(name);
    }
  }

  /** Removes hop-by-hop headers and HTTP/2 conversion artefacts from an upstream response. */
  public static void stripResponse(HttpHeaders headers, boolean keepUpgrade) {
    List<String> remove = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("x-http2-")
          || (HOP_BY_HOP.contains(name) && !(keepUpgrade && UPGRADE_KEEP.contains(name)))) {
        remove.add(name);
      }
    }
    for (String name : remove) {
      headers.remove(name);
    }
  }
}
