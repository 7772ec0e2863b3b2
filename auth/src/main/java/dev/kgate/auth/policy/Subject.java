package dev.kgate.auth.policy;

import dev.kgate.auth.Identity;
import dev.kgate.auth.stepup.LoginStrength;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The person a decision is about: the mapped user name and groups the policy's subjects name, and
 * the login facts its {@link LoginStrength} demands are checked against.
 *
 * @param username the mapped user name
 * @param groups   the mapped groups ({@code system:authenticated} is implied, need not be listed)
 * @param amr      authentication methods (RFC 8176), empty when the token has none
 * @param acr      authentication context class, or null
 * @param authTime when the person logged in ({@code auth_time}), or null when unknown
 */
public record Subject(String username, Set<String> groups, Set<String> amr, String acr, Instant authTime) {

  public Subject {
    Objects.requireNonNull(username, "username");
    groups = Set.copyOf(groups);
    amr = Set.copyOf(amr);
  }

  /** The subject a verified identity is. */
  public static Subject of(Identity identity) {
    Objects.requireNonNull(identity, "identity");
    return new Subject(
        identity.username(),
        Set.copyOf(identity.groups()),
        Set.copyOf(identity.amr()),
        identity.acr(),
        identity.authTime());
  }
}
