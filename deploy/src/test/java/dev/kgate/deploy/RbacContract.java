package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's own grant is impersonation and nothing else: exactly the attributes the API server
 * checks per Impersonate-* header (PROTOCOLS.md §1), no wildcard anywhere, bound to its
 * ServiceAccount only.
 */
interface RbacContract extends OverlayUnderTest {

  String ROLE = "kgate-impersonator";

  @Test
  default void theClusterRoleGrantsImpersonationAndNothingElse() {
    ClusterRole role = rendered().manifests().one(ClusterRole.class, ROLE);
    Set<String> grants = new TreeSet<>();
    Set<String> extraKeys = new TreeSet<>();
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getVerbs()).as("verbs").containsExactly("impersonate");
      assertThat(rule.getNonResourceURLs()).as("non-resource URLs").isNullOrEmpty();
      assertThat(rule.getResourceNames()).as("resource names").isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          if (group.equals("authentication.k8s.io") && resource.startsWith("userextras/")) {
            extraKeys.add(resource.substring("userextras/".length()));
          } else {
            grants.add(group + "/" + resource + ":impersonate");
          }
        }
      }
    }
    assertThat(grants).as("the impersonation attributes of PROTOCOLS.md §1, uids in authentication.k8s.io")
        .isEqualTo(new TreeSet<>(IMPERSONATION_GRANTS));
    assertThat(extraKeys).as("userextras/<key>: RBAC has no wildcard for the key, so each is named")
        .isNotEmpty()
        .allSatisfy(key -> assertThat(key).isNotBlank().isLowerCase().doesNotContain("*"));
  }

  @Test
  default void noRoleAnywhereUsesAWildcard() {
    List<PolicyRule> rules = Stream.concat(
            rendered().manifests().ofType(ClusterRole.class).stream().flatMap(r -> r.getRules().stream()),
            rendered().manifests().ofType(Role.class).stream().flatMap(r -> r.getRules().stream()))
        .collect(Collectors.toList());
    assertThat(rules).as("rules").isNotEmpty().allSatisfy(rule -> {
      assertThat(rule.getVerbs()).as("verbs").noneMatch(v -> v.contains("*"));
      assertThat(rule.getResources()).as("resources").noneMatch(r -> r.contains("*"));
      assertThat(rule.getApiGroups()).as("apiGroups").noneMatch(g -> g.contains("*"));
    });
    assertThat(rendered().manifests().ofType(ClusterRole.class))
        .as("no aggregated ClusterRole that could pick up rules later")
        .allSatisfy(r -> assertThat(r.getAggregationRule()).isNull());
  }

  @Test
  default void theClusterRoleIsBoundToTheGatewaysServiceAccountOnly() {
    ClusterRoleBinding binding = rendered().manifests().one(ClusterRoleBinding.class, ROLE);
    assertThat(binding.getRoleRef().getKind()).as("roleRef kind").isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).as("roleRef name").isEqualTo(ROLE);
    assertThat(binding.getSubjects()).as("subjects").singleElement().satisfies(subject -> {
      assertThat(subject.getKind()).isEqualTo("ServiceAccount");
      assertThat(subject.getName()).isEqualTo(rendered().pod().getServiceAccountName());
      assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
    });
    assertThat(rendered().manifests().ofType(ClusterRoleBinding.class)).as("ClusterRoleBindings").hasSize(1);
  }
}
