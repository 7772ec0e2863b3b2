package dev.kgate.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.auth.stepup.LoginStrength;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WhoCanTest {

  private final Policy policy = PolicyEngineTest.load(PolicyEngineTest.POLICY);

  @Test
  void listsTheRolesThatAllowWithTheirSubjectsAndLogin() {
    WhoCan answer = policy.whoCan("prod-eu", "create", "pods/exec", "payments");

    assertThat(answer.allowing()).containsExactly(
        new WhoCan.Grant("sre", 1, new Subjects(List.of(), List.of("sre")),
            new LoginStrength(true, Duration.ofMinutes(10), Set.of("mfa"))),
        new WhoCan.Grant("admin", 0, new Subjects(List.of(), List.of("admins")), LoginStrength.NONE));
    assertThat(answer.denying()).isEmpty();
  }

  @Test
  void execIsAskedAboutAsCreateWhicheverVerbIsTyped() {
    assertThat(policy.whoCan("prod-eu", "get", "pods/exec", "payments"))
        .isEqualTo(policy.whoCan("prod-eu", "create", "pods/exec", "payments"));
  }

  @Test
  void listsDenyingRolesSeparately() {
    WhoCan answer = policy.whoCan("prod-eu", "get", "secrets", "kube-system");

    assertThat(answer.allowing()).extracting(WhoCan.Grant::role).containsExactly("sre", "admin");
    assertThat(answer.denying()).extracting(WhoCan.Grant::role).containsExactly("sre");
  }

  @Test
  void onlyCountsRolesOnTheCluster() {
    assertThat(policy.whoCan("dev-eu", "list", "deployments.apps", "dev-a").allowing())
        .extracting(WhoCan.Grant::role)
        .containsExactly("dev", "admin");
    assertThat(policy.whoCan("nowhere", "list", "pods", "a").allowing()).extracting(WhoCan.Grant::role)
        .containsExactly("viewer", "admin");
  }

  @Test
  void leavesBlockedSubjectsOut() {
    Policy blocked = PolicyEngineTest.load(PolicyEngineTest.POLICY.replace("groups: [contractors-suspended]", "groups: [viewers]"));
    WhoCan.Grant viewer = blocked.whoCan("prod-eu", "get", "pods", "default").allowing().stream()
        .filter(grant -> grant.role().equals("viewer")).findFirst().orElseThrow();
    assertThat(viewer.subjects()).isEqualTo(new Subjects(List.of("auditor@example.com"), List.of()));
  }

  @Test
  void answersForUrlsAndDiscovery() {
    assertThat(policy.whoCan("prod-eu", "get", "/metrics", null).allowing()).extracting(WhoCan.Grant::role)
        .containsExactly("sre");
    assertThat(policy.whoCan("staging", "get", "/api", null).allowing())
        .extracting(WhoCan.Grant::role, WhoCan.Grant::ruleIndex)
        .contains(org.assertj.core.groups.Tuple.tuple("app-config", Decision.Allowed.DISCOVERY_RULE));
  }

  @Test
  void aMalformedResourceIsAnArgumentError() {
    assertThatThrownBy(() -> policy.whoCan("prod-eu", "get", "pods/", null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
