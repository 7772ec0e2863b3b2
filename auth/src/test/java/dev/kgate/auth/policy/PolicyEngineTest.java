package dev.kgate.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.attributes.RequestAttributesResolver;
import dev.kgate.auth.stepup.LoginStrength;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Decisions of the engine for the scenarios the product promises, on one realistic policy. */
class PolicyEngineTest {

  static final String POLICY =
      """
      blocked: { users: [mallory@example.com], groups: [contractors-suspended] }
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["prod-*", staging]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec, pods/attach], namespaces: [payments], mfa: { required: true, maxAge: 10m, acr: mfa } }
            - { verbs: [get], nonResourceURLs: ["/healthz", "/metrics"] }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: [kube-system] }
        - name: dev
          subjects: { groups: [dev] }
          clusters: ["dev-*"]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["", apps], resources: [pods, pods/log, deployments, services], namespaces: ["dev-*"] }
            - { verbs: [create, delete], resources: [pods], namespaces: ["dev-*"] }
        - name: viewer
          subjects: { groups: [viewers], users: [auditor@example.com] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:viewer"] }
          rules:
            - { verbs: [get, list, watch], resources: [pods, configmaps], namespaces: ["*"] }
        - name: app-config
          subjects: { users: [bob@example.com] }
          clusters: [staging]
          impersonate: { groups: ["kgate:app-config"] }
          rules:
            - { verbs: [get, watch, list], resources: [configmaps], resourceNames: [app-config], namespaces: [payments] }
        - name: node-reader
          subjects: { groups: [node-readers] }
          clusters: ["*"]
          rules:
            - { verbs: [get, list], resources: [nodes], clusterScoped: true }
        - name: admin
          subjects: { groups: [admins] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:admin"] }
          rules:
            - { verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
      """;

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  final PolicyEngine engine = new PolicyEngine(load(POLICY), Clock.fixed(NOW, ZoneOffset.UTC));

  static Policy load(String yaml) {
    try {
      return PolicyLoader.parse(yaml);
    } catch (PolicyException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static Subject person(String user, String... groups) {
    return new Subject(user, Set.of(groups), Set.of("pwd"), "pwd", NOW.minus(Duration.ofHours(3)));
  }

  static Subject mfaPerson(Duration loginAge, String acr, String... groups) {
    return new Subject("sam@example.com", Set.of(groups), Set.of("pwd", "otp"), acr, NOW.minus(loginAge));
  }

  static RequestAttributes request(String method, String path, String query) {
    return (RequestAttributes) RequestAttributesResolver.resolve(method, path, query);
  }

  static RequestAttributes request(String method, String path) {
    return request(method, path, null);
  }

  @Nested
  class ExecNeedsAFreshMultiFactorLogin {

    final RequestAttributes exec =
        request("GET", "/api/v1/namespaces/payments/pods/web-0/exec", "command=sh&stdin=true&tty=true");
    final LoginStrength needed = new LoginStrength(true, Duration.ofMinutes(10), Set.of("mfa"));

    @Test
    void aPasswordLoginIsAskedToStepUp() {
      Decision decision = engine.decide(person("sam@example.com", "sre"), "prod-eu", exec);

      assertThat(decision).isEqualTo(new Decision.StepUpRequired("sre", 1, needed));
    }

    @Test
    void aRecentMultiFactorLoginWithTheRightAcrIsAllowed() {
      Decision decision = engine.decide(mfaPerson(Duration.ofMinutes(2), "mfa", "sre"), "prod-eu", exec);

      assertThat(decision).isEqualTo(new Decision.Allowed("sre", 1, List.of("kgate:sre"), needed));
    }

    @Test
    void aMultiFactorLoginOlderThanMaxAgeIsAskedToStepUp() {
      assertThat(engine.decide(mfaPerson(Duration.ofMinutes(11), "mfa", "sre"), "prod-eu", exec))
          .isInstanceOf(Decision.StepUpRequired.class);
      assertThat(engine.decide(mfaPerson(Duration.ofMinutes(10), "mfa", "sre"), "prod-eu", exec))
          .as("exactly maxAge old is still fresh")
          .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void theWrongAcrIsAskedToStepUp() {
      assertThat(engine.decide(mfaPerson(Duration.ofMinutes(1), "pwd", "sre"), "prod-eu", exec))
          .isInstanceOf(Decision.StepUpRequired.class);
    }

    @Test
    void aTokenWithoutAuthTimeIsAskedToStepUpNotFailed() {
      Subject noAuthTime = new Subject("sam@example.com", Set.of("sre"), Set.of("otp"), "mfa", null);
      assertThat(engine.decide(noAuthTime, "prod-eu", exec)).isInstanceOf(Decision.StepUpRequired.class);
    }

    @Test
    void execOverSpdyIsTheSameDecision() {
      RequestAttributes spdy = request("POST", "/api/v1/namespaces/payments/pods/web-0/exec", "command=sh");
      assertThat(engine.decide(person("sam@example.com", "sre"), "prod-us", spdy))
          .isEqualTo(new Decision.StepUpRequired("sre", 1, needed));
    }

    @Test
    void readOnlyRightsDoNotOpenAShellEvenThoughTheUpgradeIsAGet() {
      Decision decision = engine.decide(person("vic@example.com", "viewers"), "prod-eu", exec);

      assertThat(decision).isInstanceOf(Decision.Denied.class);
      assertThat(((Decision.Denied) decision).message())
          .isEqualTo("you may not create pods/exec in namespace payments on cluster prod-eu");
    }

    @Test
    void execOutsidePaymentsIsDeniedWhateverTheLogin() {
      RequestAttributes elsewhere = request("GET", "/api/v1/namespaces/default/pods/web-0/exec", null);
      assertThat(engine.decide(mfaPerson(Duration.ofMinutes(1), "mfa", "sre"), "prod-eu", elsewhere))
          .isInstanceOf(Decision.Denied.class);
    }
  }

  @Nested
  class DevelopersStayInTheirNamespaces {

    final Subject dev = person("dana@example.com", "dev");

    @Test
    void listingPodsInADevNamespaceIsAllowed() {
      assertThat(engine.decide(dev, "dev-eu", request("GET", "/api/v1/namespaces/dev-dana/pods", "limit=500")))
          .isEqualTo(new Decision.Allowed("dev", 0, List.of("kgate:dev"), LoginStrength.NONE));
    }

    @Test
    void secretsAreDeniedWithAMessageSayingWhat() {
      Decision decision = engine.decide(dev, "dev-eu", request("GET", "/api/v1/namespaces/dev-dana/secrets"));

      assertThat(decision).isInstanceOf(Decision.Denied.class);
      Decision.Denied denied = (Decision.Denied) decision;
      assertThat(denied.reason()).isEqualTo(Decision.Denied.Reason.NOT_ALLOWED);
      assertThat(denied.message()).isEqualTo("you may not list secrets in namespace dev-dana on cluster dev-eu");
      assertThat(denied.message()).as("the message does not reveal the policy").doesNotContain("dev-*", "role");
    }

    @Test
    void prodIsDeniedAsIfItDidNotExist() {
      Decision decision = engine.decide(dev, "prod-eu", request("GET", "/api/v1/namespaces/dev-dana/pods"));

      assertThat(decision).isEqualTo(Decision.Denied.noAccessToCluster("prod-eu"));
      assertThat(((Decision.Denied) decision).message()).isEqualTo("you have no access to cluster prod-eu");
    }

    @Test
    void listingPodsAcrossAllNamespacesIsDenied() {
      Decision decision = engine.decide(dev, "dev-eu", request("GET", "/api/v1/pods"));

      assertThat(((Decision.Denied) decision).message()).isEqualTo("you may not list pods cluster-wide on cluster dev-eu");
    }

    @Test
    void deletingADeploymentIsDeniedInWordsThePersonUnderstands() {
      Decision decision =
          engine.decide(dev, "dev-eu", request("DELETE", "/apis/apps/v1/namespaces/dev-dana/deployments/web"));

      assertThat(((Decision.Denied) decision).message())
          .isEqualTo("you may not delete deployments in namespace dev-dana on cluster dev-eu");
    }
  }

  @Nested
  class DenyBeatsAllow {

    @Test
    void aDenyRuleBeatsTheSameRolesWildcardAllow() {
      Decision decision =
          engine.decide(person("sam@example.com", "sre"), "prod-eu", request("GET", "/api/v1/namespaces/kube-system/secrets/token"));

      assertThat(decision).isInstanceOf(Decision.Denied.class);
      Decision.Denied denied = (Decision.Denied) decision;
      assertThat(denied.reason()).isEqualTo(Decision.Denied.Reason.DENY_RULE);
      assertThat(denied.message()).isEqualTo("you may not get secrets in namespace kube-system on cluster prod-eu");
      assertThat(denied.detail()).isEqualTo("role sre deny[0] matches");
    }

    @Test
    void aDenyRuleBeatsAnotherRolesAllow() {
      Subject sreAndAdmin = person("sam@example.com", "sre", "admins");
      RequestAttributes secret = request("DELETE", "/api/v1/namespaces/kube-system/secrets/token");

      assertThat(engine.decide(person("ada@example.com", "admins"), "prod-eu", secret))
          .as("admin alone may")
          .isInstanceOf(Decision.Allowed.class);
      assertThat(engine.decide(sreAndAdmin, "prod-eu", secret)).isInstanceOf(Decision.Denied.class);
    }

    @Test
    void theDenyAppliesOnlyOnTheDenyingRolesClusters() {
      Subject sreAndAdmin = person("sam@example.com", "sre", "admins");
      assertThat(engine.decide(sreAndAdmin, "dev-eu", request("GET", "/api/v1/namespaces/kube-system/secrets/token")))
          .isInstanceOf(Decision.Allowed.class);
    }
  }

  @Nested
  class Blocking {

    @Test
    void aBlockedUserIsDeniedWhateverTheirRoles() {
      Decision decision = engine.decide(person("mallory@example.com", "admins", "sre"), "prod-eu", request("GET", "/api"));

      assertThat(decision).isInstanceOf(Decision.Denied.class);
      assertThat(((Decision.Denied) decision).reason()).isEqualTo(Decision.Denied.Reason.BLOCKED);
      assertThat(((Decision.Denied) decision).message())
          .isEqualTo("your access has been suspended; contact your platform team");
    }

    @Test
    void aBlockedGroupBlocksEveryMember() {
      Decision decision =
          engine.decide(person("carl@example.com", "admins", "contractors-suspended"), "prod-eu", request("GET", "/api/v1/pods"));

      assertThat(((Decision.Denied) decision).reason()).isEqualTo(Decision.Denied.Reason.BLOCKED);
    }

    @Test
    void blockingEveryoneIsAKillSwitch() {
      PolicyEngine killed =
          new PolicyEngine(
              load(POLICY.replace("groups: [contractors-suspended]", "groups: [system:authenticated]")),
              Clock.fixed(NOW, ZoneOffset.UTC));
      assertThat(killed.decide(person("ada@example.com", "admins"), "prod-eu", request("GET", "/api/v1/pods")))
          .extracting(d -> ((Decision.Denied) d).reason())
          .isEqualTo(Decision.Denied.Reason.BLOCKED);
    }
  }

  @Nested
  class Discovery {

    final Subject narrow = person("bob@example.com");

    @Test
    void kubectlDiscoveryIsAllowedToSomeoneWithOneNarrowRole() {
      for (String path : List.of("/api", "/apis", "/api/v1", "/apis/apps/v1", "/version", "/openapi/v3", "/openapi/v3/apis/apps/v1")) {
        Decision decision = engine.decide(narrow, "staging", request("GET", path, "timeout=32s"));
        assertThat(decision).as(path)
            .isEqualTo(new Decision.Allowed("app-config", Decision.Allowed.DISCOVERY_RULE, List.of("kgate:app-config"), LoginStrength.NONE));
      }
    }

    @Test
    void discoveryIsOnlyRead() {
      assertThat(engine.decide(narrow, "staging", request("POST", "/apis"))).isInstanceOf(Decision.Denied.class);
    }

    @Test
    void discoveryOfAClusterWhereThePersonHasNoRoleLooksLikeAnUnknownCluster() {
      assertThat(engine.decide(narrow, "prod-eu", request("GET", "/api")))
          .isEqualTo(Decision.Denied.noAccessToCluster("prod-eu"));
    }

    @Test
    void discoveryDenyLeavesOnlyWhatRulesAllow() {
      PolicyEngine strict = new PolicyEngine(load("discovery: deny\n" + POLICY), Clock.fixed(NOW, ZoneOffset.UTC));
      assertThat(strict.decide(narrow, "staging", request("GET", "/api"))).isInstanceOf(Decision.Denied.class);
      assertThat(strict.decide(person("sam@example.com", "sre"), "prod-eu", request("GET", "/metrics")))
          .isInstanceOf(Decision.Allowed.class);
    }
  }

  @Nested
  class UnknownAndForbiddenClusters {

    @Test
    void anUnknownClusterAndAForbiddenOneGetTheSameDenial() {
      Subject dev = person("dana@example.com", "dev");
      RequestAttributes pods = request("GET", "/api/v1/namespaces/dev-dana/pods");

      // prod-eu is in the policy (sre's), no-such-cluster is nowhere: the answers differ only in the name
      assertThat(engine.decide(dev, "prod-eu", pods)).isEqualTo(Decision.Denied.noAccessToCluster("prod-eu"));
      assertThat(engine.decide(dev, "no-such-cluster", pods))
          .isEqualTo(Decision.Denied.noAccessToCluster("no-such-cluster"));
      assertThat(Decision.Denied.noAccessToCluster("prod-eu").message())
          .isEqualTo("you have no access to cluster prod-eu");
    }

    @Test
    void someoneWithNoRoleAtAllIsToldTheSame() {
      assertThat(engine.decide(person("nobody@example.com", "nothing"), "prod-eu", request("GET", "/api")))
          .isEqualTo(Decision.Denied.noAccessToCluster("prod-eu"));
    }
  }

  @Nested
  class ImpersonatedGroups {

    @Test
    void areTheUnionOfEveryRoleThatAllowedTheRequest() {
      Subject both = person("sam@example.com", "sre", "viewers");
      assertThat(engine.decide(both, "prod-eu", request("GET", "/api/v1/namespaces/payments/pods")))
          .isEqualTo(new Decision.Allowed("sre", 0, List.of("kgate:sre", "kgate:viewer"), LoginStrength.NONE));
    }

    @Test
    void leaveOutRolesThatDidNotAllowIt() {
      Subject both = person("sam@example.com", "sre", "viewers");
      Decision decision = engine.decide(both, "prod-eu", request("GET", "/apis/apps/v1/namespaces/payments/deployments"));
      assertThat(((Decision.Allowed) decision).impersonatedGroups()).containsExactly("kgate:sre");
    }

    @Test
    void doNotDependOnTheOrderOfGroupsInTheToken() {
      Decision one = engine.decide(person("sam@example.com", "viewers", "sre"), "prod-eu", request("GET", "/api/v1/pods"));
      Decision other = engine.decide(person("sam@example.com", "sre", "viewers"), "prod-eu", request("GET", "/api/v1/pods"));
      assertThat(one).isEqualTo(other);
    }
  }

  @Nested
  class Matching {

    @Test
    void resourceNamesLimitGetsAndNamedWatches() {
      Subject bob = person("bob@example.com");
      assertThat(engine.decide(bob, "staging", request("GET", "/api/v1/namespaces/payments/configmaps/app-config")))
          .isInstanceOf(Decision.Allowed.class);
      assertThat(engine.decide(bob, "staging", request("GET", "/api/v1/namespaces/payments/configmaps/other")))
          .isInstanceOf(Decision.Denied.class);
      assertThat(engine.decide(bob, "staging", request("GET", "/api/v1/namespaces/payments/configmaps")))
          .as("an unfiltered list names no object")
          .isInstanceOf(Decision.Denied.class);
      assertThat(engine.decide(bob, "staging",
              request("GET", "/api/v1/namespaces/payments/configmaps", "fieldSelector=metadata.name%3Dapp-config&watch=true")))
          .as("kubectl get configmap app-config -w")
          .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void clusterScopedRulesCoverNodesButNotNamespacedRequests() {
      Subject reader = person("nora@example.com", "node-readers");
      assertThat(engine.decide(reader, "prod-eu", request("GET", "/api/v1/nodes"))).isInstanceOf(Decision.Allowed.class);
      assertThat(engine.decide(reader, "prod-eu", request("GET", "/api/v1/nodes/n1"))).isInstanceOf(Decision.Allowed.class);
      assertThat(engine.decide(reader, "prod-eu", request("GET", "/api/v1/namespaces/default/nodes/n1")))
          .isInstanceOf(Decision.Denied.class);
    }

    @Test
    void aWildcardNamespaceCoversClusterWideRequests() {
      assertThat(engine.decide(person("sam@example.com", "sre"), "prod-eu", request("GET", "/api/v1/nodes")))
          .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void nonResourceUrlsNeedARule() {
      assertThat(engine.decide(person("sam@example.com", "sre"), "staging", request("GET", "/metrics")))
          .isEqualTo(new Decision.Allowed("sre", 2, List.of("kgate:sre"), LoginStrength.NONE));
      Decision.Denied denied =
          (Decision.Denied) engine.decide(person("vic@example.com", "viewers"), "staging", request("GET", "/metrics"));
      assertThat(denied.message()).isEqualTo("you may not get /metrics on cluster staging");
    }

    @Test
    void aSubresourceIsNotTheResource() {
      Subject dev = person("dana@example.com", "dev");
      assertThat(engine.decide(dev, "dev-eu", request("GET", "/api/v1/namespaces/dev-a/pods/web/log")))
          .isInstanceOf(Decision.Allowed.class);
      assertThat(engine.decide(dev, "dev-eu", request("PUT", "/api/v1/namespaces/dev-a/pods/web/status")))
          .isInstanceOf(Decision.Denied.class);
    }

    @Test
    void usersAreNamedDirectly() {
      assertThat(engine.decide(person("auditor@example.com"), "prod-us", request("GET", "/api/v1/namespaces/x/configmaps")))
          .isInstanceOf(Decision.Allowed.class);
    }

    @Test
    void theSubjectOfAnIdentityCarriesItsLoginFacts() {
      Identity identity = new Identity("sam@example.com", null, List.of("sre"), Map.of(), "https://idp", "sub-1",
          List.of("pwd", "otp"), "mfa", NOW.minusSeconds(60), NOW.plusSeconds(300));
      RequestAttributes exec = request("POST", "/api/v1/namespaces/payments/pods/web-0/attach", null);
      assertThat(engine.decide(Subject.of(identity), "prod-eu", exec)).isInstanceOf(Decision.Allowed.class);
    }
  }
}
