package dev.kgate.auth.policy;

import dev.kgate.auth.stepup.LoginStrength;
import java.util.List;
import java.util.Objects;

/**
 * The answer to "who can do this on that cluster?": the roles whose rules allow it (with their
 * subjects and the login each demands) and the roles whose deny rules forbid it. A person in an
 * allowing role is still refused if they also hold a denying role or are blocked; since group
 * membership lives in the IdP, the policy alone cannot say which people that is, so both lists are
 * given. Blocked users and groups are removed from the subjects listed.
 *
 * @param allowing roles allowing the request, in policy order
 * @param denying  roles whose deny rules match, in policy order (their subjects are refused)
 * @param blocked  the policy's blocked users and groups
 */
public record WhoCan(List<Grant> allowing, List<Grant> denying, Subjects blocked) {

  public WhoCan {
    allowing = List.copyOf(allowing);
    denying = List.copyOf(denying);
    Objects.requireNonNull(blocked, "blocked");
  }

  /**
   * One role's part in the answer.
   *
   * @param role      the role's name
   * @param ruleIndex the matching rule's index in {@code rules} (allowing) or {@code deny}
   *                  (denying); {@link Decision.Allowed#DISCOVERY_RULE} for the discovery default
   * @param subjects  the role's users and groups, blocked ones removed
   * @param login     the login strength the allowing rule demands
   */
  public record Grant(String role, int ruleIndex, Subjects subjects, LoginStrength login) {

    public Grant {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(subjects, "subjects");
      Objects.requireNonNull(login, "login");
    }
  }
}
