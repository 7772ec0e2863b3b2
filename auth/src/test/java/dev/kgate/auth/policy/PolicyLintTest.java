package dev.kgate.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyLintTest {

  private static final String POLICY =
      """
      blocked: { users: [gone@example.com] }
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["prod-*", staging, "qa-*"]
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: [get], resources: [pods/exec], namespaces: [payments] }
            - { verbs: [delete], resources: [secrets], namespaces: [kube-system] }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: [kube-system, "kube-*"] }
        - name: orphan
          clusters: [prod-eu]
          rules:
            - { verbs: [get], resources: [pods], namespaces: [a] }
        - name: named
          subjects: { users: [gone@example.com] }
          clusters: [prod-eu]
          rules:
            - { verbs: [get, create], resources: [configmaps], resourceNames: [app], namespaces: [a] }
        - name: clean
          subjects: { groups: [dev] }
          clusters: ["dev-*"]
          rules:
            - { verbs: [get, list], resources: [pods, deployments], apiGroups: ["", apps], namespaces: ["dev-*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: ["dev-*"] }
      """;

  private final Policy policy = PolicyEngineTest.load(POLICY);

  @Test
  void findsTheMistakesThatStillLoad() {
    List<PolicyWarning> warnings = PolicyLint.check(policy, Set.of("prod-eu", "prod-us", "dev-eu"));

    assertThat(warnings).extracting(PolicyWarning::toString).containsExactly(
        "roles[0].clusters[1]: cluster 'staging' is not in the gateway configuration",
        "roles[0].clusters[2]: 'qa-*' matches no cluster in the gateway configuration",
        "roles[0].rules[0].resources: '*' includes secrets: this rule lets its holders read every Secret in"
            + " its namespaces; list the resources, or add a deny rule for secrets",
        "roles[0].rules[1].resources: pods/exec is decided as create whatever the HTTP method, and this"
            + " rule's verbs do not include create: it never matches pods/exec",
        "roles[0].rules[2]: can never allow anything: roles[0].deny[0] denies all it allows",
        "roles[1].subjects: the role names no users or groups: nobody holds it",
        "roles[2].subjects: every user and group of the role is blocked",
        "roles[2].rules[0].verbs: create never matches with resourceNames: those requests carry no object name");
  }

  @Test
  void withoutTheGatewayConfigurationClustersAreNotChecked() {
    assertThat(PolicyLint.check(policy)).extracting(PolicyWarning::message)
        .noneMatch(message -> message.contains("gateway configuration"));
  }

  @Test
  void aCleanPolicyHasNoWarnings() {
    Policy clean = PolicyEngineTest.load(POLICY.substring(POLICY.indexOf("roles:"))
        .lines()
        .dropWhile(line -> !line.contains("name: clean"))
        .reduce("roles:\n", (all, line) -> all + line + "\n"));
    assertThat(clean.roles()).hasSize(1);
    assertThat(PolicyLint.check(clean, Set.of("dev-eu"))).isEmpty();
  }

  @Test
  void aDenyOnlyCoversWhatItTrulyCovers() {
    Policy partial = PolicyEngineTest.load("""
        roles:
          - name: r
            subjects: { groups: [g] }
            clusters: ["*"]
            rules:
              - { verbs: [get, delete], resources: [secrets], namespaces: [kube-system] }
              - { verbs: [delete], resources: [secrets], namespaces: ["kube-*"] }
              - { verbs: [delete], resources: [secrets], namespaces: ["*"] }
            deny:
              - { verbs: [delete], resources: [secrets], namespaces: [kube-system, kube-public] }
        """);
    assertThat(PolicyLint.check(partial)).isEmpty();
  }
}
