package dev.kgate.gateway.authz;

import dev.kgate.auth.attributes.RequestAttributes;
import java.util.List;
import java.util.Objects;

/**
 * Why a request may go ahead, carried with it to the forwarding stage (which impersonates
 * {@code groups}) and to the audit record (which names the role and rule).
 *
 * @param attributes what the request does, as the API server will see it
 * @param role       the policy role that allowed it, or null when no policy is configured and the
 *                   cluster's RBAC alone decides
 * @param rule       the index of that role's allowing rule; -1 for the discovery default or no policy
 * @param groups     the Kubernetes groups the API server sees (without {@code system:authenticated},
 *                   which the impersonation stage always adds)
 */
public record Authorization(RequestAttributes attributes, String role, int rule, List<String> groups) {

  public Authorization {
    Objects.requireNonNull(attributes, "attributes");
    groups = List.copyOf(groups);
  }

  /** How the audit record names the grant: {@code role[rule]}, {@code role(discovery)}, or null. */
  public String describeGrant() {
    if (role == null) {
      return null;
    }
    return rule < 0 ? role + "(discovery)" : role + ".rules[" + rule + "]";
  }
}
