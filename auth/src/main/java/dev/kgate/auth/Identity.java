package dev.kgate.auth;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A verified person, as the gateway will present them to a cluster. Built only from a token whose
 * signature, issuer, audience and times were checked; every field is already mapped (prefixes applied).
 *
 * @param username  the Kubernetes user name to impersonate (prefix applied)
 * @param uid       stable id for {@code Impersonate-Uid}, or null when not mapped
 * @param groups    mapped groups (prefix applied), without {@code system:authenticated}
 * @param extra     extra attributes for {@code Impersonate-Extra-*}; keys are lowercase
 * @param issuer    the token's {@code iss}
 * @param subject   the token's {@code sub}
 * @param amr       authentication methods (RFC 8176), empty when absent
 * @param acr       authentication context class, or null
 * @param authTime  when the person last logged in ({@code auth_time}), or null
 * @param expiresAt the token's {@code exp}
 */
public record Identity(
    String username,
    String uid,
    List<String> groups,
    Map<String, List<String>> extra,
    String issuer,
    String subject,
    List<String> amr,
    String acr,
    Instant authTime,
    Instant expiresAt) {

  public Identity {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expiresAt, "expiresAt");
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
    amr = List.copyOf(amr);
  }
}
