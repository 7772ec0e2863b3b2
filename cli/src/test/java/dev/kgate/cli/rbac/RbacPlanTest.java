package dev.kgate.cli.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RbacPlanTest {

  private static final List<String> NAMESPACES = List.of("default", "payments", "dev-1", "dev-2", "kube-system");

  // ---- one policy rule → RBAC PolicyRules ----

  @Test
  void aResourceRuleKeepsItsVerbsCoreGroupResourcesAndNoNames() throws PolicyException {
    assertThat(rbacRules("{ verbs: [get, list, watch], resources: [pods], namespaces: [payments] }"))
        .containsExactly(rule(List.of("get", "list", "watch"), List.of(""), List.of("pods"), List.of()));
  }

  @Test
  void groupsSubresourcesAndResourceNamesAreCarriedOverAsWritten() throws PolicyException {
    assertThat(rbacRules("{ verbs: [get, update], apiGroups: [apps, \"\"], resources: [deployments,"
        + " deployments/scale, pods/log], resourceNames: [web, api], namespaces: [payments] }"))
        .containsExactly(rule(List.of("get", "update"), List.of("apps", ""),
            List.of("deployments", "deployments/scale", "pods/log"), List.of("web", "api")));
  }

  @Test
  void aUrlRuleBecomesNonResourceUrlsOnly() throws PolicyException {
    assertThat(rbacRules("{ verbs: [get, head], nonResourceURLs: [/healthz, /logs/*] }"))
        .containsExactly(new PolicyRuleBuilder()
            .withVerbs("get", "head").withNonResourceURLs("/healthz", "/logs/*").build());
  }

  @Test
  void createOnConnectSubresourcesAlsoGrantsGetOnThemForApiServersBefore135() throws PolicyException {
    assertThat(rbacRules("{ verbs: [create], resources: [pods/exec, pods/attach, pods/log, pods/portforward],"
        + " resourceNames: [web], namespaces: [payments] }"))
        .containsExactly(
            rule(List.of("create"), List.of(""), List.of("pods/exec", "pods/attach", "pods/log", "pods/portforward"),
                List.of("web")),
            rule(List.of("get"), List.of(""), List.of("pods/exec", "pods/attach", "pods/portforward"), List.of("web")));
  }

  @Test
  void createOnEveryResourceAlsoGrantsGetOnThePodConnectSubresourcesOnly() throws PolicyException {
    assertThat(rbacRules("{ verbs: [create], apiGroups: [\"*\"], resources: [\"*\"], namespaces: [payments] }"))
        .containsExactly(
            rule(List.of("create"), List.of("*"), List.of("*"), List.of()),
            rule(List.of("get"), List.of(""), List.of("pods/exec", "pods/attach", "pods/portforward"), List.of()));
    assertThat(rbacRules("{ verbs: [create], resources: [\"*/exec\"], namespaces: [payments] }"))
        .containsExactly(
            rule(List.of("create"), List.of(""), List.of("*/exec"), List.of()),
            rule(List.of("get"), List.of(""), List.of("*/exec"), List.of()));
  }

  @Test
  void noGetIsAddedWhenTheRuleHasItAlreadyOrCannotReachPods() throws PolicyException {
    assertThat(rbacRules("{ verbs: [get, create], resources: [pods/exec], namespaces: [payments] }"))
        .as("get already granted").hasSize(1);
    assertThat(rbacRules("{ verbs: [\"*\"], resources: [pods/exec], namespaces: [payments] }"))
        .as("* includes get").hasSize(1);
    assertThat(rbacRules("{ verbs: [create], apiGroups: [apps], resources: [\"*\"], namespaces: [payments] }"))
        .as("no pods in apps").hasSize(1);
    assertThat(rbacRules("{ verbs: [create], resources: [pods], namespaces: [payments] }"))
        .as("creating pods is no connect subresource").hasSize(1);
  }

  // ---- where the rules go ----

  @Test
  void rulesOverEveryNamespaceClusterScopedRulesAndUrlsShareOneClusterRoleBoundToTheImpersonatedGroups()
      throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["prod-*"]
            impersonate: { groups: ["kgate:sre", "kgate:oncall"] }
            rules:
              - { verbs: [get, list, watch], apiGroups: ["*"], resources: [pods, deployments], namespaces: ["*"] }
              - { verbs: [get, list], resources: [nodes], clusterScoped: true }
              - { verbs: [get], nonResourceURLs: [/metrics] }
        """);

    RbacPlan plan = RbacPlan.of(policy, "prod-eu", NAMESPACES);

    assertThat(keys(plan)).containsExactly("ClusterRole kgate:sre", "ClusterRoleBinding kgate:sre");
    ClusterRole role = (ClusterRole) plan.objects().get(0);
    assertThat(role.getRules()).containsExactly(
        rule(List.of("get", "list", "watch"), List.of("*"), List.of("pods", "deployments"), List.of()),
        rule(List.of("get", "list"), List.of(""), List.of("nodes"), List.of()),
        new PolicyRuleBuilder().withVerbs("get").withNonResourceURLs("/metrics").build());
    ClusterRoleBinding binding = (ClusterRoleBinding) plan.objects().get(1);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo("kgate:sre");
    assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(binding.getSubjects())
        .extracting(s -> s.getKind() + " " + s.getName() + " " + s.getApiGroup())
        .containsExactly("Group kgate:sre rbac.authorization.k8s.io", "Group kgate:oncall rbac.authorization.k8s.io");
  }

  @Test
  void namespacedRulesBecomeARoleAndBindingInEachExistingNamespaceTheyNameOrTheirGlobsMatch() throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: dev
            subjects: { groups: [dev] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:dev"] }
            rules:
              - { verbs: [get, list], resources: [pods], namespaces: ["dev-*"] }
              - { verbs: [get], resources: [configmaps], namespaces: [dev-2, payments] }
        """);

    RbacPlan plan = RbacPlan.of(policy, "dev-eu", NAMESPACES);

    assertThat(keys(plan)).containsExactly(
        "Role dev-1/kgate:dev", "RoleBinding dev-1/kgate:dev",
        "Role dev-2/kgate:dev", "RoleBinding dev-2/kgate:dev",
        "Role payments/kgate:dev", "RoleBinding payments/kgate:dev");
    assertThat(role(plan, "dev-1").getRules())
        .containsExactly(rule(List.of("get", "list"), List.of(""), List.of("pods"), List.of()));
    assertThat(role(plan, "dev-2").getRules()).as("both rules, in policy order").containsExactly(
        rule(List.of("get", "list"), List.of(""), List.of("pods"), List.of()),
        rule(List.of("get"), List.of(""), List.of("configmaps"), List.of()));
    assertThat(role(plan, "dev-2").getMetadata().getAnnotations())
        .containsEntry(RbacPlan.RULES_ANNOTATION, "rules[0], rules[1]");
    assertThat(role(plan, "payments").getRules())
        .containsExactly(rule(List.of("get"), List.of(""), List.of("configmaps"), List.of()));
    RoleBinding binding = (RoleBinding) plan.objects().get(1);
    assertThat(binding.getMetadata().getNamespace()).isEqualTo("dev-1");
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo("kgate:dev");
    assertThat(binding.getSubjects()).extracting(s -> s.getKind() + " " + s.getName()).containsExactly("Group kgate:dev");
    assertThat(plan.notes()).isEmpty();
  }

  @Test
  void aNamedNamespaceTheClusterLacksGetsNoObjectButANote() throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: pay
            subjects: { groups: [pay] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:pay"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: [payments, billing, "team-*"] }
        """);

    RbacPlan plan = RbacPlan.of(policy, "prod-eu", NAMESPACES);

    assertThat(keys(plan)).containsExactly("Role payments/kgate:pay", "RoleBinding payments/kgate:pay");
    assertThat(plan.notes()).containsExactly(
        "role pay: namespace billing does not exist on this cluster; nothing written for it (sync again once it exists)");
  }

  @Test
  void aRuleThatIsBothNamespacedAndClusterScopedGoesOnlyIntoTheClusterRole() throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: ops
            subjects: { groups: [ops] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:ops"] }
            rules:
              - { verbs: [list], resources: [pods], namespaces: [payments], clusterScoped: true }
        """);

    assertThat(keys(RbacPlan.of(policy, "prod-eu", NAMESPACES)))
        .as("a ClusterRoleBinding grants in payments already")
        .containsExactly("ClusterRole kgate:ops", "ClusterRoleBinding kgate:ops");
  }

  @Test
  void rolesForOtherClustersAndRolesWithoutImpersonatedGroupsProduceNothing() throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: prod-only
            subjects: { groups: [sre] }
            clusters: ["prod-*", staging]
            impersonate: { groups: ["kgate:sre"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
          - name: node-reader
            subjects: { groups: [platform] }
            clusters: ["*"]
            rules:
              - { verbs: [get], resources: [nodes], clusterScoped: true }
          - name: everywhere
            subjects: { groups: [all] }
            clusters: ["*-eu"]
            impersonate: { groups: ["kgate:all"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
        """);

    assertThat(keys(RbacPlan.of(policy, "dev-eu", NAMESPACES)))
        .containsExactly("ClusterRole kgate:everywhere", "ClusterRoleBinding kgate:everywhere");
    assertThat(keys(RbacPlan.of(policy, "staging", NAMESPACES)))
        .containsExactly("ClusterRole kgate:prod-only", "ClusterRoleBinding kgate:prod-only");
  }

  @Test
  void everyObjectIsLabelledManagedByKgateAndNamesThePolicyRoleAndRulesItComesFrom() throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:sre"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: [payments] }
              - { verbs: [get], resources: [nodes], clusterScoped: true }
        """);

    RbacPlan plan = RbacPlan.of(policy, "prod-eu", NAMESPACES);

    assertThat(plan.objects()).hasSize(4).allSatisfy(object ->
        assertThat(object.getMetadata().getLabels()).containsExactlyEntriesOf(Map.of("app.kubernetes.io/managed-by", "kgate")));
    assertThat(plan.objects()).allSatisfy(object ->
        assertThat(object.getMetadata().getAnnotations()).containsEntry("kgate.dev/policy-role", "sre"));
    assertThat(plan.objects().get(0).getMetadata().getAnnotations()).containsEntry("kgate.dev/policy-rules", "rules[1]");
    assertThat(role(plan, "payments").getMetadata().getAnnotations()).containsEntry("kgate.dev/policy-rules", "rules[0]");
  }

  @Test
  void denyRulesLoginDemandsAndMissingImpersonatedGroupsAreOneNotePerRole() throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:sre"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
              - { verbs: [create], resources: [pods/exec], namespaces: [payments], mfa: { maxAge: 10m } }
              - { verbs: [delete], resources: [pods], namespaces: [payments], mfa: { required: true } }
            deny:
              - { verbs: ["*"], resources: [secrets], namespaces: [kube-system] }
          - name: viewer
            subjects: { groups: [all] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:viewer"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
          - name: auditor
            subjects: { groups: [audit] }
            clusters: ["*"]
            impersonate: { groups: ["kgate:audit"] }
            rules:
              - { verbs: [get], resources: [pods], namespaces: ["*"] }
            deny:
              - { verbs: [get], resources: [secrets], namespaces: ["*"] }
          - name: node-reader
            subjects: { groups: [platform] }
            clusters: ["*"]
            rules:
              - { verbs: [get], resources: [nodes], clusterScoped: true }
        """);

    assertThat(RbacPlan.gatewayOnlyNotes(policy)).containsExactly(
        "role sre: its deny rules and the login demands of rules[1], rules[2] are enforced by the gateway only;"
            + " RBAC cannot express them",
        "role auditor: its deny rules are enforced by the gateway only; RBAC cannot express them",
        "role node-reader: no impersonate.groups, so nothing is bound in RBAC; the API server refuses what this role allows");
  }

  @Test
  void clusterAndNamespaceGlobsMatchAnyRunOfCharacters() {
    assertThat(RbacPlan.matchesAny(List.of("prod-*"), "prod-eu")).isTrue();
    assertThat(RbacPlan.matchesAny(List.of("prod-*"), "prod-")).isTrue();
    assertThat(RbacPlan.matchesAny(List.of("prod-*"), "preprod-eu")).isFalse();
    assertThat(RbacPlan.matchesAny(List.of("team-*-dev"), "team-a-b-dev")).isTrue();
    assertThat(RbacPlan.matchesAny(List.of("team-*-dev"), "team-a-prod")).isFalse();
    assertThat(RbacPlan.matchesAny(List.of("a.b"), "axb")).as("only * is special").isFalse();
    assertThat(RbacPlan.matchesAny(List.of("staging", "*-eu"), "dev-eu")).isTrue();
    assertThat(RbacPlan.matchesAny(List.of("*"), "anything")).isTrue();
  }

  // ---- helpers ----

  private static List<PolicyRule> rbacRules(String ruleYaml) throws PolicyException {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: r
            subjects: { groups: [g] }
            clusters: ["*"]
            rules:
              - %s
        """.formatted(ruleYaml));
    return RbacPlan.policyRules(policy.roles().get(0).rules().get(0));
  }

  private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources, List<String> names) {
    return new PolicyRuleBuilder()
        .withVerbs(verbs).withApiGroups(groups).withResources(resources).withResourceNames(names).build();
  }

  private static List<String> keys(RbacPlan plan) {
    return plan.objects().stream().map(ObjectKey::of).map(ObjectKey::toString).toList();
  }

  private static Role role(RbacPlan plan, String namespace) {
    for (HasMetadata object : plan.objects()) {
      if (object instanceof Role role && namespace.equals(role.getMetadata().getNamespace())) {
        return role;
      }
    }
    throw new AssertionError("no Role in " + namespace + " among " + keys(plan));
  }
}
