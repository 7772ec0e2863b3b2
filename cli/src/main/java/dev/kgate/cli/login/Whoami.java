package dev.kgate.cli.login;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity a cached login stands for, read from the tokens' claims without the network: the
 * access token (what the gateway sees) first, the ID token for whatever the access token lacks.
 */
final class Whoami {

  private Whoami() {}

  static Map<String, Object> claims(TokenSet tokens) {
    Map<String, Object> claims = new LinkedHashMap<>(Jwt.claims(tokens.idToken()));
    claims.putAll(Jwt.claims(tokens.accessToken()));
    return claims;
  }

  /** The most human name the tokens offer. */
  static String displayName(TokenSet tokens) {
    Map<String, Object> claims = claims(tokens);
    for (String key : List.of("preferred_username", "email", "name", "sub")) {
      if (claims.get(key) instanceof String) {
        return (String) claims.get(key);
      }
    }
    return "an unnamed subject";
  }

  static List<String> describe(TokenSet tokens, Instant now) {
    Map<String, Object> claims = claims(tokens);
    List<String> lines = new ArrayList<>();
    lines.add(line("issuer", tokens.issuer()));
    lines.add(line("client id", tokens.clientId()));
    lines.add(line("subject", claims.get("sub")));
    for (String key : List.of("preferred_username", "email", "name")) {
      if (claims.containsKey(key)) {
        lines.add(line(key, claims.get(key)));
      }
    }
    lines.add(line("groups", claims.get("groups")));
    lines.add(line("amr", claims.get("amr")));
    lines.add(line("acr", claims.get("acr")));
    Object authTime = claims.get("auth_time");
    lines.add(line("auth_time", authTime instanceof Number
        ? Instant.ofEpochSecond(((Number) authTime).longValue()) + " (" + ago(Instant.ofEpochSecond(((Number) authTime).longValue()), now) + ")"
        : null));
    lines.add(line("expires", tokens.expiresAt() + (tokens.expiresAt().isAfter(now)
        ? " (in " + human(Duration.between(now, tokens.expiresAt())) + ")" : " (expired)")));
    lines.add(line("refresh token", tokens.refreshToken() != null ? "yes" : "no"));
    return lines;
  }

  /**
   * What the gateway grants this login, asked of the gateway itself: the policy lives there, and
   * it is the only one to know which of its clusters this person may see.
   */
  static String clustersLine(LoginTarget target, TokenSet tokens, Instant now) {
    if (!tokens.expiresAt().isAfter(now)) {
      return line("clusters", "unknown (the token has expired: run " + target.loginCommand() + ")");
    }
    try {
      return line("clusters", GatewayClusters.fetch(target.gatewayHttp(), target.gateway(), tokens.accessToken()).summary());
    } catch (IdpException e) {
      return line("clusters", "unknown (" + e.getMessage() + ")");
    }
  }

  private static String ago(Instant then, Instant now) {
    return now.isBefore(then) ? "in the future" : human(Duration.between(then, now)) + " ago";
  }

  private static String human(Duration d) {
    long s = d.toSeconds();
    return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
  }

  private static String line(String name, Object value) {
    String text = value == null ? "-" : value instanceof List ? String.join(", ", ((List<?>) value).stream().map(String::valueOf).toList())
        : String.valueOf(value);
    return String.format("%-18s %s", name + ":", text.isEmpty() ? "-" : text);
  }
}
