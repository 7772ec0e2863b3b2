package dev.kgate.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.Level;
import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.gateway.config.GatewayConfig.LevelRule;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The first {@code audit.levels} rule that matches a request sets its level; none matching is Metadata. */
class AuditLevelsTest {

  private static final Identity ALICE = person("alice@example.com", "sre");
  private static final Identity BOB = person("bob@example.com", "dev");

  private static Identity person(String name, String group) {
    return new Identity(name, null, List.of(group), Map.of(), "https://idp", name, List.of(), null, null,
        Instant.parse("2030-01-01T00:00:00Z"));
  }

  private static RequestAttributes.Resource resource(String verb, String group, String resource, String sub,
      String namespace) {
    return new RequestAttributes.Resource(verb, group, "v1", resource, sub, namespace, "x");
  }

  private static LevelRule rule(Level level, List<String> clusters, List<String> verbs, List<String> resources,
      List<String> namespaces) {
    return new LevelRule(level, clusters, verbs, List.of(), resources, namespaces, List.of(), List.of());
  }

  private static final AuditLevels LEVELS = new AuditLevels(List.of(
      rule(Level.RequestResponse, List.of("prod-*"), List.of("delete", "create"), List.of(), List.of()),
      rule(Level.Request, List.of(), List.of(), List.of("pods/exec", "*/scale"), List.of("payments")),
      new LevelRule(Level.Request, List.of(), List.of(), List.of("apps"), List.of("deployments"), List.of("*"),
          List.of(), List.of("dev")),
      rule(Level.Metadata, List.of("prod-*"), List.of(), List.of(), List.of()),
      rule(Level.Request, List.of(), List.of("*"), List.of(), List.of("team-*"))), 65536);

  private static Level levelOf(String cluster, Identity person, RequestAttributes attributes) {
    return LEVELS.levelOf(cluster, person, attributes).level();
  }

  @Test
  void aDeleteOrCreateOnProductionIsRecordedWithBothBodies() {
    AuditLevels.Choice choice = LEVELS.levelOf("prod-eu", ALICE, resource("delete", "", "configmaps", "", "shop"));

    assertThat(choice).isEqualTo(new AuditLevels.Choice(Level.RequestResponse, 0));
    assertThat(levelOf("prod-us", ALICE, resource("create", "apps", "deployments", "", "")))
        .isEqualTo(Level.RequestResponse);
  }

  @Test
  void theSameVerbElsewhereFallsThroughToLaterRulesOrMetadata() {
    assertThat(levelOf("dev-1", ALICE, resource("delete", "", "configmaps", "", "shop"))).isEqualTo(Level.Metadata);
    assertThat(LEVELS.levelOf("dev-1", ALICE, resource("get", "", "configmaps", "", "shop")))
        .as("no rule: the default, no rule index").isEqualTo(new AuditLevels.Choice(Level.Metadata, -1));
  }

  @Test
  void theFirstMatchingRuleWinsEvenWhenALaterOneWouldRecordMore() {
    assertThat(LEVELS.levelOf("prod-eu", ALICE, resource("get", "", "configmaps", "", "team-a")))
        .as("rule 3 (Metadata on prod) before rule 4 (Request in team-*)")
        .isEqualTo(new AuditLevels.Choice(Level.Metadata, 3));
    assertThat(levelOf("dev-1", ALICE, resource("get", "", "configmaps", "", "team-a"))).isEqualTo(Level.Request);
  }

  @Test
  void subresourcesMatchAsInThePolicy() {
    assertThat(levelOf("dev-1", ALICE, resource("create", "", "pods", "exec", "payments"))).isEqualTo(Level.Request);
    assertThat(levelOf("dev-1", ALICE, resource("update", "apps", "deployments", "scale", "payments")))
        .as("*/scale").isEqualTo(Level.Request);
    assertThat(levelOf("dev-1", ALICE, resource("get", "", "pods", "", "payments")))
        .as("pods/exec does not name pods itself").isEqualTo(Level.Metadata);
    assertThat(levelOf("dev-1", ALICE, resource("create", "", "pods", "exec", "shop")))
        .as("another namespace").isEqualTo(Level.Metadata);
  }

  @Test
  void groupsApiGroupsAndClusterWideNamespacesAreMatched() {
    assertThat(levelOf("dev-1", BOB, resource("patch", "apps", "deployments", "", ""))).as("* covers cluster-wide")
        .isEqualTo(Level.Request);
    assertThat(levelOf("dev-1", ALICE, resource("patch", "apps", "deployments", "", "shop"))).as("not in group dev")
        .isEqualTo(Level.Metadata);
    assertThat(levelOf("dev-1", BOB, resource("patch", "extensions", "deployments", "", "shop")))
        .as("another API group").isEqualTo(Level.Metadata);
  }

  @Test
  void aRuleAboutResourcesNeverMatchesANonResourceUrl() {
    AuditLevels levels = new AuditLevels(List.of(
        rule(Level.Request, List.of(), List.of("get"), List.of("*"), List.of())), 65536);

    assertThat(levels.levelOf("dev-1", ALICE, new RequestAttributes.NonResource("get", "/version")).level())
        .isEqualTo(Level.Metadata);
    assertThat(levels.levelOf("dev-1", ALICE, resource("get", "", "pods", "", "x")).level()).isEqualTo(Level.Request);
  }

  @Test
  void usersMatchByNameOrGlob() {
    AuditLevels levels = new AuditLevels(List.of(new LevelRule(Level.RequestResponse, List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of("*@contractor.example"), List.of())), 65536);

    assertThat(levels.levelOf("dev-1", person("eve@contractor.example", "dev"), resource("get", "", "pods", "", "x"))
        .level()).isEqualTo(Level.RequestResponse);
    assertThat(levels.levelOf("dev-1", ALICE, resource("get", "", "pods", "", "x")).level()).isEqualTo(Level.Metadata);
  }
}
