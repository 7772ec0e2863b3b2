package dev.kgate.cli.login;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client-go exec plugin protocol, {@code client.authentication.k8s.io/v1}: what kubectl
 * passes in {@code KUBERNETES_EXEC_INFO} and the {@code ExecCredential} the plugin prints.
 * kubectl reuses the credential until {@code expirationTimestamp} and does not refresh early, so
 * the timestamp given is the token's expiry less {@link Credentials#MARGIN_SECONDS}: kubectl asks
 * again while the token is still good for a minute, which covers clock skew and slow requests.
 */
final class ExecCredential {

  static final String API_VERSION = "client.authentication.k8s.io/v1";

  private ExecCredential() {}

  static String json(TokenSet tokens, Instant now) {
    Instant expiry = tokens.expiresAt().minusSeconds(Credentials.MARGIN_SECONDS);
    if (expiry.isBefore(now)) {
      expiry = tokens.expiresAt(); // a token shorter-lived than the margin: hand it over as it is
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("token", tokens.accessToken());
    status.put("expirationTimestamp", expiry.truncatedTo(ChronoUnit.SECONDS).toString());
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("apiVersion", API_VERSION);
    credential.put("kind", "ExecCredential");
    credential.put("spec", Map.of());
    credential.put("status", status);
    return Json.write(credential);
  }

  /**
   * {@code spec.interactive} of {@code KUBERNETES_EXEC_INFO}: true only when kubectl says stdin is
   * a terminal it hands over. Absent (run by hand) or unreadable counts as not interactive.
   */
  static boolean interactive(String execInfo) {
    if (execInfo == null || execInfo.isBlank()) {
      return false;
    }
    try {
      Object spec = Json.parseObject(execInfo).get("spec");
      return spec instanceof Map && Boolean.TRUE.equals(((Map<?, ?>) spec).get("interactive"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
