package dev.kgate.gateway.route;

import java.util.regex.Pattern;

/**
 * Where a request goes: {@code /clusters/{name}/rest} is forwarded to cluster {@code name} as
 * {@code /rest}. Parsing is deliberately strict about the path: a path a proxy and an API server
 * could read differently (dot segments, empty segments, encoded slashes or dots, backslashes, NUL)
 * is refused rather than normalised, so no request can step out of its cluster prefix or past a
 * rule (PROTOCOLS.md §7: reject rather than re-implement normalisation).
 */
public sealed interface Route {

  String PREFIX = "/clusters/";

  /** A DNS-label cluster name; anything else can only be an unknown cluster. */
  Pattern CLUSTER_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** Forward to {@code cluster}; {@code upstreamUri} is the path (always starting with '/') and query. */
  record ToCluster(String cluster, String upstreamUri) implements Route {}

  /**
   * One of the gateway's own endpoints: {@code /.well-known/kgate} (no authentication: how
   * {@code kgate login} finds the IdP) or {@code /kgate/v1/clusters} (the clusters this person may
   * use).
   */
  record GatewayInfo(Endpoint endpoint) implements Route {}

  /** The gateway's own endpoints. */
  enum Endpoint {
    WELL_KNOWN("/.well-known/kgate"),
    CLUSTERS("/kgate/v1/clusters");

    final String path;

    Endpoint(String path) {
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /** Not a path this gateway serves. */
  record NotGateway(String path) implements Route {}

  /** A path that is ambiguous or malformed; {@code reason} says why, for the person. */
  record Refused(String reason) implements Route {}

  /** Parses a request-target in origin form ({@code /path?query}). */
  static Route of(String requestTarget) {
    if (requestTarget == null || requestTarget.isEmpty() || requestTarget.charAt(0) != '/') {
      return new Refused("the request target must be an absolute path");
    }
    int q = requestTarget.indexOf('?');
    String path = q < 0 ? requestTarget : requestTarget.substring(0, q);
    String query = q < 0 ? "" : requestTarget.substring(q);
    if (!path.startsWith(PREFIX)) {
      for (Endpoint endpoint : Endpoint.values()) {
        if (endpoint.path.equals(path)) {
          return new GatewayInfo(endpoint);
        }
      }
      return new NotGateway(path);
    }
    String ambiguity = ambiguity(path);
    if (ambiguity != null) {
      return new Refused(ambiguity);
    }
    int slash = path.indexOf('/', PREFIX.length());
    String cluster = slash < 0 ? path.substring(PREFIX.length()) : path.substring(PREFIX.length(), slash);
    String rest = slash < 0 ? "/" : path.substring(slash);
    if (cluster.isEmpty()) {
      return new NotGateway(path);
    }
    return new ToCluster(cluster, rest + query);
  }

  /** Why a path could mean two things, or null when it is unambiguous. */
  private static String ambiguity(String path) {
    if (path.indexOf('\\') >= 0) {
      return "the path contains a backslash";
    }
    if (path.contains("//")) {
      return "the path contains an empty segment (//)";
    }
    String lower = path.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("%2f") || lower.contains("%5c")) {
      return "the path contains an encoded slash";
    }
    if (lower.contains("%00") || path.indexOf('\0') >= 0) {
      return "the path contains a NUL byte";
    }
    for (String segment : lower.split("/", -1)) {
      String decodedDots = segment.replace("%2e", ".");
      if (decodedDots.equals(".") || decodedDots.equals("..")) {
        return "the path contains a dot segment (. or ..)";
      }
      if (!segment.equals(decodedDots) && decodedDots.chars().allMatch(c -> c == '.')) {
        return "the path contains an encoded dot segment";
      }
    }
    return null;
  }
}
