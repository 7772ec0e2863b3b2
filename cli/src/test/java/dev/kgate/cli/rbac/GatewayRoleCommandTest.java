package dev.kgate.cli.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayRoleCommandTest {

  private static final String POLICY = """
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:sre", "kgate:oncall"] }
          rules:
            - { verbs: [get], resources: [pods], namespaces: ["*"] }
        - name: dev
          subjects: { groups: [dev] }
          clusters: ["dev-*"]
          impersonate: { groups: ["kgate:dev", "kgate:sre"] }
          rules:
            - { verbs: [get], resources: [pods], namespaces: ["*"] }
        - name: node-reader
          subjects: { groups: [platform] }
          clusters: ["*"]
          rules:
            - { verbs: [get], resources: [nodes], clusterScoped: true }
      """;

  @TempDir Path dir;

  @Test
  void theRoleImpersonatesOnlyThePolicysGroupsAndAnyUserAndUid() throws IOException {
    Path policy = write("policy.yaml", POLICY);

    CapturedRun run = CapturedRun.of("rbac", "gateway-role", "--policy", policy.toString());

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    ClusterRole role = new KubernetesSerialization().unmarshal(run.out(), ClusterRole.class);
    assertThat(role.getMetadata().getName()).isEqualTo("kgate-impersonator");
    assertThat(role.getMetadata().getLabels()).as("sync must never prune it").isNullOrEmpty();
    assertThat(role.getRules()).containsExactly(
        impersonate("", List.of("users"), List.of()),
        impersonate("", List.of("groups"), List.of("kgate:dev", "kgate:oncall", "kgate:sre", "system:authenticated")),
        impersonate("authentication.k8s.io", List.of("uids"), List.of()));
    assertThat(run.out())
        .contains("# - users, uids: no resourceNames: anyone the identity provider vouches for may log in")
        .contains("# - userextras: none, because no gateway configuration was given (--config)");
  }

  @Test
  void withTheGatewayConfigurationEachExtraKeyItsIssuersSendIsNamed() throws IOException {
    Path policy = write("policy.yaml", POLICY);
    Path config = gatewayConfig("extra: [acr, AMR, sid]");

    CapturedRun run = CapturedRun.of(
        "rbac", "gateway-role", "--policy", policy.toString(), "--config", config.toString(), "--name", "kgate-prod");

    assertThat(run.exitCode()).as("stderr: %s", run.err()).isZero();
    ClusterRole role = new KubernetesSerialization().unmarshal(run.out(), ClusterRole.class);
    assertThat(role.getMetadata().getName()).isEqualTo("kgate-prod");
    assertThat(role.getRules()).hasSize(4).last().isEqualTo(impersonate("authentication.k8s.io",
        List.of("userextras/kgate.dev/acr", "userextras/kgate.dev/amr", "userextras/kgate.dev/sid"), List.of()));
    assertThat(role.getRules()).allSatisfy(rule -> {
      assertThat(rule.getVerbs()).containsExactly("impersonate");
      assertThat(rule.getResources()).noneMatch(resource -> resource.contains("*"));
    });
  }

  @Test
  void anInvalidPolicyPrintsItsErrorsAndNoRole() throws IOException {
    Path policy = write("policy.yaml", "roles:\n  - name: Bad\n    clusters: [\"*\"]\n    rules: []\n");

    CapturedRun run = CapturedRun.of("rbac", "gateway-role", "--policy", policy.toString());

    assertThat(run.exitCode()).isEqualTo(RbacCommand.EXIT_FAILED);
    assertThat(run.err().lines()).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("kgate: policy " + policy + ": "));
    assertThat(run.out()).isEmpty();
  }

  private static PolicyRule impersonate(String group, List<String> resources, List<String> names) {
    return new PolicyRuleBuilder()
        .withApiGroups(group).withResources(resources).withResourceNames(names).withVerbs("impersonate").build();
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  /** A gateway configuration that loads, with these {@code claims} keys for its issuer. */
  private Path gatewayConfig(String claims) throws IOException {
    TestPki.create("gateway-role test CA")
        .issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"))
        .writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    return write("gateway.yaml", """
        listen: { address: 127.0.0.1, port: 8443, tls: { cert: tls.crt, key: tls.key } }
        oidc:
          issuers:
            - url: https://idp.example.com/realms/eng
              audiences: [kubernetes]
              claims: { username: email, %s }
        clusters:
          - { name: prod-eu, credentials: { inCluster: true } }
        audit: { dir: audit }
        """.formatted(claims));
  }
}
