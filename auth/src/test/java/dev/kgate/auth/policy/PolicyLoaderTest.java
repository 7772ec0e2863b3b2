package dev.kgate.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kgate.auth.stepup.LoginStrength;
import dev.kgate.auth.stepup.StepUp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyLoaderTest {

  @Test
  void theDesignExampleLoadsWithItsDefaults() throws Exception {
    Policy policy = PolicyLoader.parse(PolicyEngineTest.POLICY);

    assertThat(policy.discoveryAllowed()).isTrue();
    assertThat(policy.mfaMethods()).containsExactlyInAnyOrderElementsOf(StepUp.MFA_METHODS).contains("otp");
    assertThat(policy.blocked()).isEqualTo(new Subjects(List.of("mallory@example.com"), List.of("contractors-suspended")));
    Role sre = policy.role("sre").orElseThrow();
    assertThat(sre.clusters()).containsExactly("prod-*", "staging");
    assertThat(sre.impersonateGroups()).containsExactly("kgate:sre");
    assertThat(sre.rules()).hasSize(3);
    assertThat(sre.rules().get(1))
        .isEqualTo(new Rule(List.of("create"), List.of(""), List.of("pods/exec", "pods/attach"), List.of(),
            List.of("payments"), false, List.of(),
            new LoginStrength(true, Duration.ofMinutes(10), Set.of("mfa"))));
    assertThat(sre.rules().get(2).isNonResource()).isTrue();
    assertThat(sre.deny()).hasSize(1);
    assertThat(policy.role("dev").orElseThrow().rules().get(0).apiGroups()).containsExactly("", "apps");
  }

  @Test
  void everyErrorIsReportedAtOnceWithItsKeyPath() {
    String yaml =
        """
        blocked: { users: [mallory@example.com], gropus: [x] }
        discovery: maybe
        roles:
          - name: sre
            subjects: { groups: [sre] }
            clusters: ["prod-*"]
            impersonate: { groups: ["system:masters"] }
            rules:
              - { verbs: [get], resources: [pods], nonResourceURLs: ["/healthz"] }
              - { verbs: [], resources: [pods], namespaces: ["*"] }
              - { verbs: [get], resources: ["pods/*"], namespaces: ["*"] }
            deny:
              - { verbs: ["*"], resources: [secrets], namespaces: [kube-system], mfa: { required: true } }
          - name: empty
            subjects: { groups: [x] }
            clusters: ["*"]
            rules: []
          - name: dev
            subjects: { groups: [dev] }
            clusters: ["dev-*", "Dev_Cluster"]
            rules:
              - { verbs: [get, delet, list], resources: [pods], namespace: [dev] }
              - { verbs: [get], resources: [configmaps], resourceNames: ["*"], namespaces: [dev], mfa: { maxAge: 10 } }
              - { verbs: [list], nonResourceURLs: ["/metrics"], namespaces: [dev] }
          - name: sre
            clusters: ["*"]
            rules:
              - { verbs: [get], nonResourceURLs: ["metrics", "/a*b"] }
        """;

    PolicyException thrown = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse(yaml));

    assertThat(thrown.errors()).extracting(PolicyError::toString).containsExactlyInAnyOrder(
        "blocked.gropus: unknown key; did you mean 'groups'?",
        "discovery: expected allow or deny, was 'maybe'",
        "roles[0].impersonate.groups[0]: 'system:masters' is refused: system: groups belong to Kubernetes"
            + " (system:masters bypasses RBAC, system:authenticated is added anyway)",
        "roles[0].rules[0]: has both resources and nonResourceURLs; a rule is about one or the other",
        "roles[0].rules[1].verbs: must list at least one verb ('*' for all)",
        "roles[0].rules[2].resources[0]: 'pods/*' is not supported: RBAC has no subresource wildcard;"
            + " list the subresources (pods/log, pods/exec, …) or use */SUBRESOURCE",
        "roles[0].deny[0].mfa: a deny rule applies whatever the login; mfa belongs in allow rules",
        "roles[1].rules: a role needs at least one rule",
        "roles[2].clusters[1]: 'Dev_Cluster' is not a cluster name or glob (lowercase letters, digits and '-',"
            + " with '*' as wildcard)",
        "roles[2].rules[0].namespace: unknown key; did you mean 'namespaces'?",
        "roles[2].rules[0].verbs[1]: unknown verb \"delet\"; did you mean \"delete\"?",
        "roles[2].rules[0]: needs namespaces (names or globs, '*' for all and cluster-wide) or clusterScoped: true",
        "roles[2].rules[1].mfa.maxAge: expected a duration like 500ms, 10s, 5m, 1h or 1d, was '10'",
        "roles[2].rules[1].resourceNames[0]: resourceNames are exact names and '*' is no wildcard here;"
            + " leave resourceNames out to allow every name",
        "roles[2].rules[2].namespaces: does not apply to a nonResourceURLs rule",
        "roles[2].rules[2].verbs[0]: \"list\" is not a verb for nonResourceURLs; expected one of"
            + " get, head, post, put, patch, delete, options or '*'",
        "roles[3].name: duplicate role name 'sre', already used by roles[0]",
        "roles[3].rules[0].nonResourceURLs[0]: 'metrics' is not a URL path; expected /healthz, /metrics, /logs/* or '*'",
        "roles[3].rules[0].nonResourceURLs[1]: '/a*b': '*' is only allowed at the end of a URL path");
    assertThat(thrown.getMessage().lines()).hasSize(thrown.errors().size());
  }

  @Test
  void aRuleNeedsResourcesOrUrlsAndARoleNeedsClusters() {
    PolicyException thrown = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse("""
        roles:
          - name: r
            subjects: { users: [a] }
            rules:
              - { verbs: [get] }
        """));

    assertThat(thrown.errors()).extracting(PolicyError::toString).containsExactly(
        "roles[0].clusters: required: the cluster names or globs the role applies on ('*' for all)",
        "roles[0].rules[0]: needs resources or nonResourceURLs");
  }

  @Test
  void resourceFormsRbacCannotExpressAreRefused() {
    PolicyException thrown = catchThrowableOfType(PolicyException.class, () -> PolicyLoader.parse("""
        roles:
          - name: r
            clusters: ["*"]
            rules:
              - { verbs: [get], apiGroups: [Apps], resources: ["pod*", "a/b/c", "Pods", "*/log"], clusterScoped: true }
        """));

    assertThat(thrown.errors()).extracting(PolicyError::path).containsExactly(
        "roles[0].rules[0].apiGroups[0]",
        "roles[0].rules[0].resources[0]",
        "roles[0].rules[0].resources[1]",
        "roles[0].rules[0].resources[2]");
  }

  @Test
  void anAcrMayBeOneValueOrSeveral() throws Exception {
    Policy policy = PolicyLoader.parse("""
        roles:
          - name: r
            clusters: ["*"]
            rules:
              - { verbs: [get], resources: [pods], namespaces: [a], mfa: { acr: [mfa, "urn:loa:2"], required: false } }
              - { verbs: [get], resources: [pods], namespaces: [b], mfa: { acr: mfa } }
        """);
    List<Rule> rules = policy.roles().get(0).rules();
    assertThat(rules.get(0).login()).isEqualTo(new LoginStrength(false, null, Set.of("mfa", "urn:loa:2")));
    assertThat(rules.get(1).login()).isEqualTo(new LoginStrength(true, null, Set.of("mfa")));
  }

  @Test
  void yamlSyntaxErrorsNameTheLine() {
    assertThatThrownBy(() -> PolicyLoader.parse("roles:\n  - name: [unclosed\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageStartingWith("YAML syntax error at line");
  }

  @Test
  void duplicateKeysAreErrors() {
    assertThatThrownBy(() -> PolicyLoader.parse("discovery: allow\ndiscovery: deny\nroles: []\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("duplicate key");
  }

  @Test
  void anEmptyFileIsAnError() {
    assertThatThrownBy(() -> PolicyLoader.parse("")).isInstanceOf(PolicyException.class).hasMessage("the policy is empty");
  }

  @Test
  void rolesAreRequiredButMayBeEmptyToDenyEverything() throws Exception {
    assertThatThrownBy(() -> PolicyLoader.parse("discovery: allow\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessage("roles: required (a list of roles; an empty list denies everything)");
    assertThat(PolicyLoader.parse("roles: []\n").roles()).isEmpty();
  }

  @Test
  void aFileIsReadFromDisk(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, PolicyEngineTest.POLICY);
    assertThat(PolicyLoader.load(file).roles()).hasSize(6);
    assertThatThrownBy(() -> PolicyLoader.load(dir.resolve("missing.yaml")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("policy file does not exist");
  }

  @Test
  void aGeneratedFiveHundredRolePolicyLoads() {
    assertThat(PolicyFixtures.generate(500).roles()).hasSize(500);
  }
}
