package dev.kgate.cli.rbac;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.Role;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The gateway's own ClusterRole, narrowed to what a given policy can make it send: the verb
 * {@code impersonate} on exactly the attributes the API server checks for each
 * {@code Impersonate-*} header (PROTOCOLS.md §1), with {@code resourceNames} where the values are
 * known in advance. Groups are: the policy's {@code impersonate.groups} and
 * {@code system:authenticated}, the only groups a gateway running this policy sends. User names,
 * uids and extra values come from whoever logs in, so they cannot be listed. Service accounts are
 * left out: a person is never impersonated as one, and without the grant the API server refuses
 * a mapped user name that happens to look like {@code system:serviceaccount:…}.
 */
final class GatewayRole {

  static final String DEFAULT_NAME = "kgate-impersonator";
  static final String AUTHENTICATED_GROUP = Policy.EVERYONE;
  private static final String CORE_GROUP = "";
  private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";
  private static final String IMPERSONATE = "impersonate";

  private GatewayRole() {}

  /**
   * @param extraKeys the extra keys the gateway sends ({@code kgate.dev/acr}, …), from its
   *     issuers' {@code claims.extra}; RBAC has no wildcard for them, so each is named
   */
  static ClusterRole of(Policy policy, Collection<String> extraKeys, String name) {
    Objects.requireNonNull(policy, "policy");
    TreeSet<String> groups = new TreeSet<>();
    for (Role role : policy.roles()) {
      groups.addAll(role.impersonateGroups());
    }
    groups.add(AUTHENTICATED_GROUP);
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(impersonate(CORE_GROUP, List.of("users"), List.of()));
    rules.add(impersonate(CORE_GROUP, List.of("groups"), List.copyOf(groups)));
    rules.add(impersonate(AUTHENTICATION_GROUP, List.of("uids"), List.of()));
    List<String> extras = new TreeSet<>(extraKeys).stream().map(key -> "userextras/" + key).toList();
    if (!extras.isEmpty()) {
      rules.add(impersonate(AUTHENTICATION_GROUP, extras, List.of()));
    }
    return new ClusterRoleBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withRules(rules)
        .build();
  }

  /** The role as YAML, after comments that say why each rule is as wide as it is. */
  static String yaml(ClusterRole role, String policySource, boolean extrasKnown) {
    StringBuilder text = new StringBuilder();
    text.append("""
        # The gateway's own ClusterRole for the policy %s (kgate rbac gateway-role):
        # the verb impersonate on what the API server checks for each Impersonate-* header, nothing else.
        # - users, uids: no resourceNames: anyone the identity provider vouches for may log in, so user
        #   names and uids are not known in advance.
        # - groups: only the policy's impersonate.groups and system:authenticated, the groups a gateway
        #   running this policy sends. Generate and apply this again when impersonate.groups change.
        """.formatted(policySource));
    if (extrasKnown) {
      text.append("""
          # - userextras/<key>: one resource per extra key the gateway configuration's claims.extra
          #   sends; the values are the person's claims, so they are not limited.
          """);
    } else {
      text.append("""
          # - userextras: none, because no gateway configuration was given (--config): if its issuers
          #   set claims.extra, requests will be refused until this role names those keys.
          """);
    }
    text.append("""
        # - no serviceaccounts: kgate never impersonates one.
        # Bind it to the identity the gateway's credential for each cluster authenticates as.
        """);
    text.append(new KubernetesSerialization().asYaml(role));
    return text.toString();
  }

  private static PolicyRule impersonate(String apiGroup, List<String> resources, List<String> names) {
    return new PolicyRuleBuilder()
        .withApiGroups(apiGroup)
        .withResources(resources)
        .withResourceNames(names)
        .withVerbs(IMPERSONATE)
        .build();
  }
}
