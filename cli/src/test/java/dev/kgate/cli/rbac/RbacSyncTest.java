package dev.kgate.cli.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RbacSync} against fabric8's mock API server in CRUD mode. */
class RbacSyncTest {

  private static final String SRE = """
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: [pods, deployments], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: [payments] }
      """;
  private static final String DEV = """
        - name: dev
          subjects: { groups: [dev] }
          clusters: ["dev-*", "prod-eu"]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list], resources: [pods, pods/log], namespaces: ["dev-*", "tools-*"] }
      """;
  private static final String PROD_ONLY = """
        - name: prod-only
          subjects: { groups: [sre] }
          clusters: ["prod-us"]
          impersonate: { groups: ["kgate:prod"] }
          rules:
            - { verbs: ["*"], resources: [pods], namespaces: ["*"] }
      """;

  private static final List<String> ALL_OBJECTS = List.of(
      "ClusterRole kgate:sre",
      "ClusterRoleBinding kgate:sre",
      "Role dev-1/kgate:dev",
      "Role payments/kgate:sre",
      "Role tools-dev-2/kgate:dev",
      "RoleBinding dev-1/kgate:dev",
      "RoleBinding payments/kgate:sre",
      "RoleBinding tools-dev-2/kgate:dev");

  private MockCluster cluster;

  @BeforeEach
  void startCluster() {
    cluster = MockCluster.start("default", "payments", "dev-1", "tools-dev-2", "kube-system");
  }

  @AfterEach
  void stopCluster() {
    cluster.close();
  }

  @Test
  void theFirstRunCreatesExactlyThePlannedObjects() throws PolicyException {
    RbacSync.Result result = sync(policy(SRE, DEV, PROD_ONLY), false);

    assertThat(result.changes()).extracting(c -> c.type().symbol() + " " + c.key()).containsExactly(
        "+ ClusterRole kgate:sre",
        "+ ClusterRoleBinding kgate:sre",
        "+ Role payments/kgate:sre",
        "+ RoleBinding payments/kgate:sre",
        "+ Role dev-1/kgate:dev",
        "+ RoleBinding dev-1/kgate:dev",
        "+ Role tools-dev-2/kgate:dev",
        "+ RoleBinding tools-dev-2/kgate:dev");
    Map<String, HasMetadata> stored = cluster.rbacObjects();
    assertThat(stored.keySet()).as("prod-only covers another cluster").containsExactlyElementsOf(ALL_OBJECTS);
    assertThat(((ClusterRole) stored.get("ClusterRole kgate:sre")).getRules()).containsExactly(
        rule(List.of("get", "list", "watch"), List.of("*"), List.of("pods", "deployments")));
    assertThat(((Role) stored.get("Role payments/kgate:sre")).getRules()).containsExactly(
        rule(List.of("create"), List.of(""), List.of("pods/exec")),
        rule(List.of("get"), List.of(""), List.of("pods/exec")));
    assertThat(((Role) stored.get("Role dev-1/kgate:dev")).getRules()).containsExactly(
        rule(List.of("get", "list"), List.of(""), List.of("pods", "pods/log")));
    assertThat(((Role) stored.get("Role tools-dev-2/kgate:dev")).getRules()).containsExactly(
        rule(List.of("get", "list"), List.of(""), List.of("pods", "pods/log")));
    RoleBinding binding = (RoleBinding) stored.get("RoleBinding dev-1/kgate:dev");
    assertThat(binding.getRoleRef().getKind() + " " + binding.getRoleRef().getName()).isEqualTo("Role kgate:dev");
    assertThat(binding.getSubjects()).extracting(s -> s.getKind() + " " + s.getName()).containsExactly("Group kgate:dev");
    assertThat(stored.values()).allSatisfy(object ->
        assertThat(object.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "kgate"));
  }

  @Test
  void aSecondRunReportsNothingAndWritesNothing() throws PolicyException {
    Policy policy = policy(SRE, DEV);
    sync(policy, false);
    Map<String, String> before = cluster.resourceVersions();

    RbacSync.Result again = sync(policy, false);

    assertThat(again.changes()).isEmpty();
    assertThat(cluster.resourceVersions()).as("resourceVersions").isEqualTo(before).hasSize(ALL_OBJECTS.size());
  }

  @Test
  void removingARolePrunesExactlyItsObjectsBindingsFirst() throws PolicyException {
    sync(policy(SRE, DEV), false);
    Map<String, String> before = cluster.resourceVersions();

    RbacSync.Result result = sync(policy(SRE), false);

    assertThat(result.changes()).extracting(c -> c.type().symbol() + " " + c.key()).containsExactly(
        "- RoleBinding dev-1/kgate:dev",
        "- RoleBinding tools-dev-2/kgate:dev",
        "- Role dev-1/kgate:dev",
        "- Role tools-dev-2/kgate:dev");
    Map<String, String> after = cluster.resourceVersions();
    assertThat(after.keySet()).containsExactly(
        "ClusterRole kgate:sre", "ClusterRoleBinding kgate:sre", "Role payments/kgate:sre", "RoleBinding payments/kgate:sre");
    after.forEach((key, version) -> assertThat(version).as("%s untouched", key).isEqualTo(before.get(key)));
  }

  @Test
  void aChangedRuleUpdatesTheObjectInPlaceAndKeepsWhatOthersAddedToIt() throws PolicyException {
    sync(policy(SRE), false);
    cluster.client().rbac().clusterRoles().withName("kgate:sre").edit(role -> {
      role.getMetadata().getLabels().put("team", "platform");
      role.getMetadata().getAnnotations().put("example.com/owner", "ops");
      return role;
    });
    String uid = cluster.client().rbac().clusterRoles().withName("kgate:sre").get().getMetadata().getUid();

    RbacSync.Result result = sync(policy(SRE.replace("[get, list, watch], apiGroups", "[get, list], apiGroups")), false);

    assertThat(result.changes()).singleElement().satisfies(change -> {
      assertThat(change.type()).isEqualTo(RbacChange.Type.UPDATE);
      assertThat(change.key()).hasToString("ClusterRole kgate:sre");
      assertThat(change.details()).containsExactly(
          "- rule: [get, list, watch] apiGroups [*] resources [pods, deployments]",
          "+ rule: [get, list] apiGroups [*] resources [pods, deployments]");
    });
    ClusterRole stored = cluster.client().rbac().clusterRoles().withName("kgate:sre").get();
    assertThat(stored.getMetadata().getUid()).as("updated, not replaced").isEqualTo(uid);
    assertThat(stored.getRules()).containsExactly(rule(List.of("get", "list"), List.of("*"), List.of("pods", "deployments")));
    assertThat(stored.getMetadata().getLabels())
        .containsEntry("team", "platform").containsEntry("app.kubernetes.io/managed-by", "kgate");
    assertThat(stored.getMetadata().getAnnotations()).containsEntry("example.com/owner", "ops");
    assertThat(sync(policy(SRE.replace("[get, list, watch], apiGroups", "[get, list], apiGroups")), false).changes())
        .as("what others added does not make the next run write again").isEmpty();
  }

  @Test
  void objectsNotLabelledManagedByKgateAreNeverTouched() throws PolicyException {
    ClusterRole unrelated = create(new ClusterRoleBuilder()
        .withNewMetadata().withName("view-all").endMetadata()
        .withRules(rule(List.of("get"), List.of("*"), List.of("*")))
        .build());
    Role squatter = create(new RoleBuilder()
        .withNewMetadata().withName("kgate:dev").withNamespace("dev-1").endMetadata()
        .withRules(rule(List.of("*"), List.of("*"), List.of("*")))
        .build());
    RoleBinding helms = create(new RoleBindingBuilder()
        .withNewMetadata().withName("kgate:old").withNamespace("payments")
            .withLabels(Map.of("app.kubernetes.io/managed-by", "Helm")).endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("old").endRoleRef()
        .build());
    Map<String, String> foreign = Map.of(
        "ClusterRole view-all", unrelated.getMetadata().getResourceVersion(),
        "Role dev-1/kgate:dev", squatter.getMetadata().getResourceVersion(),
        "RoleBinding payments/kgate:old", helms.getMetadata().getResourceVersion());

    RbacSync.Result result = sync(policy(SRE, DEV), false);

    assertThat(result.hasConflicts()).isTrue();
    assertThat(result.changes()).filteredOn(c -> c.key().namespace().equals("dev-1"))
        .as("a name held by someone else is reported; the group is not bound to their role")
        .extracting(c -> c.type().symbol() + " " + c.key())
        .containsExactly("! Role dev-1/kgate:dev");
    assertThat(result.changes()).noneMatch(c -> c.type() == RbacChange.Type.DELETE);
    Map<String, String> after = cluster.resourceVersions();
    foreign.forEach((key, version) -> assertThat(after).as(key).containsEntry(key, version));
    assertThat(after).doesNotContainKey("RoleBinding dev-1/kgate:dev");
    assertThat(cluster.client().rbac().roles().inNamespace("dev-1").withName("kgate:dev").get().getRules())
        .containsExactly(rule(List.of("*"), List.of("*"), List.of("*")));
    assertThat(sync(policy(), false).changes()).as("pruning everything kgate manages spares them too")
        .extracting(c -> c.type().symbol() + " " + c.key())
        .allSatisfy(line -> assertThat(line).startsWith("- "))
        .doesNotContain("- ClusterRole view-all", "- Role dev-1/kgate:dev", "- RoleBinding payments/kgate:old");
    assertThat(cluster.resourceVersions()).isEqualTo(foreign);
  }

  @Test
  void aDryRunReportsWhatARunWouldDoAndWritesNothing() throws PolicyException {
    sync(policy(SRE, DEV), false);
    Map<String, String> before = cluster.resourceVersions();
    Policy changed = policy(SRE.replace("namespaces: [payments]", "namespaces: [default]"));

    RbacSync.Result dryRun = sync(changed, true);

    assertThat(dryRun.changes()).extracting(c -> c.type().symbol() + " " + c.key()).containsExactly(
        "+ Role default/kgate:sre",
        "+ RoleBinding default/kgate:sre",
        "- RoleBinding dev-1/kgate:dev",
        "- RoleBinding tools-dev-2/kgate:dev",
        "- RoleBinding payments/kgate:sre",
        "- Role dev-1/kgate:dev",
        "- Role tools-dev-2/kgate:dev",
        "- Role payments/kgate:sre");
    assertThat(cluster.resourceVersions()).as("nothing written").isEqualTo(before);
    assertThat(sync(changed, false).changes()).as("the real run does what the dry run said")
        .isEqualTo(dryRun.changes());
    assertThat(cluster.resourceVersions().keySet()).containsExactly(
        "ClusterRole kgate:sre", "ClusterRoleBinding kgate:sre", "Role default/kgate:sre", "RoleBinding default/kgate:sre");
  }

  @Test
  void aNamespaceCreatedLaterIsCoveredByTheNextRun() throws PolicyException {
    Policy policy = policy(DEV);
    sync(policy, false);
    cluster.addNamespace("dev-3");

    RbacSync.Result result = sync(policy, false);

    assertThat(result.changes()).extracting(c -> c.type().symbol() + " " + c.key())
        .containsExactly("+ Role dev-3/kgate:dev", "+ RoleBinding dev-3/kgate:dev");
    assertThat(cluster.rbacObjects()).containsKeys("Role dev-3/kgate:dev", "RoleBinding dev-3/kgate:dev");
  }

  @Test
  void aChangedImpersonatedGroupRebindsWithoutTouchingTheRoles() throws PolicyException {
    sync(policy(DEV), false);
    Map<String, String> before = cluster.resourceVersions();

    RbacSync.Result result = sync(policy(DEV.replace("[\"kgate:dev\"]", "[\"kgate:developers\"]")), false);

    assertThat(result.changes()).extracting(c -> c.type().symbol() + " " + c.key())
        .containsExactly("~ RoleBinding dev-1/kgate:dev", "~ RoleBinding tools-dev-2/kgate:dev");
    assertThat(result.changes().get(0).details())
        .containsExactly("- subject: Group kgate:dev", "+ subject: Group kgate:developers");
    assertThat(cluster.client().rbac().roleBindings().inNamespace("dev-1").withName("kgate:dev").get().getSubjects())
        .extracting(s -> s.getName()).containsExactly("kgate:developers");
    assertThat(cluster.resourceVersions()).containsEntry("Role dev-1/kgate:dev", before.get("Role dev-1/kgate:dev"));
  }

  // ---- helpers ----

  private RbacSync.Result sync(Policy policy, boolean dryRun) {
    return new RbacSync(cluster.client()).sync(policy, "dev-eu", dryRun);
  }

  private <T extends HasMetadata> T create(T object) {
    return cluster.client().resource(object).create();
  }

  private static Policy policy(String... roles) throws PolicyException {
    return PolicyLoader.parse(roles.length == 0 ? "roles: []\n" : "roles:\n" + String.join("", roles));
  }

  private static PolicyRule rule(List<String> verbs, List<String> groups, List<String> resources) {
    return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resources).build();
  }
}
