package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** Merging one gateway's entries into a kubeconfig that already has other people's entries. */
class KubeconfigMergeTest {

  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final URI GATEWAY = URI.create("https://gw.example.com:8443");
  private static final LoginTarget TARGET = new LoginTarget(GATEWAY, "https://idp.example.com/realms/eng", "kgate",
      null, null, Path.of("/etc/kgate/gw-ca.pem"), null);
  private static final GatewayClusters GRANTED = new GatewayClusters("alice", List.of(
      new GatewayClusters.Cluster("prod-eu", "/clusters/prod-eu", List.of("sre")),
      new GatewayClusters.Cluster("staging", "/clusters/staging", List.of("sre", "dev"))));

  private final KubeconfigMerge merge = new KubeconfigMerge(GatewayAddress.text(GATEWAY), KubeconfigEntries.userName(GATEWAY));

  @Test
  void other_entries_and_the_current_context_stay_and_ours_are_added() {
    ObjectNode existing = yaml("""
        apiVersion: v1
        kind: Config
        clusters: [{ name: home, cluster: { server: "https://home.example.com" } }]
        contexts: [{ name: home, context: { cluster: home, user: me } }]
        current-context: home
        users: [{ name: me, user: { token: mine } }]
        """);
    ObjectNode merged = merge.merge(existing, entries(""));
    assertThat(names(merged, "clusters")).containsExactly("home", "prod-eu", "staging");
    assertThat(names(merged, "contexts")).containsExactly("home", "prod-eu", "staging");
    assertThat(names(merged, "users")).containsExactly("me", "kgate@gw.example.com:8443");
    assertThat(merged.path("current-context").asString()).isEqualTo("home");
    assertThat(merged.path("users").get(0).path("user").path("token").asString()).isEqualTo("mine");
    assertThat(merged.path("clusters").get(1).path("cluster").path("server").asString())
        .isEqualTo("https://gw.example.com:8443/clusters/prod-eu");
    assertThat(merged.path("users").get(1).path("user").path("exec").path("args").toString())
        .isEqualTo("[\"credential\",\"--gateway\",\"https://gw.example.com:8443\",\"--issuer\","
            + "\"https://idp.example.com/realms/eng\",\"--client-id\",\"kgate\",\"--gateway-ca\",\"/etc/kgate/gw-ca.pem\"]");
  }

  @Test
  void merging_twice_replaces_this_gateways_own_entries_in_place() {
    ObjectNode once = merge.merge(yaml("{}"), entries(""));
    ObjectNode twice = merge.merge(once.deepCopy(), entries(""));
    assertThat(twice).isEqualTo(once);
    assertThat(twice.path("current-context").asString()).isEqualTo("prod-eu");
  }

  @Test
  void a_context_of_the_same_name_for_something_else_stops_the_merge_and_changes_nothing() {
    ObjectNode existing = yaml("""
        clusters: [{ name: prod-eu, cluster: { server: "https://prod-eu.internal:6443" } }]
        contexts: [{ name: prod-eu, context: { cluster: prod-eu, user: admin } }]
        users: [{ name: admin, user: { token: t } }]
        """);
    ObjectNode before = existing.deepCopy();
    assertThatThrownBy(() -> merge.merge(existing, entries("")))
        .isInstanceOf(KubeconfigMerge.Conflict.class)
        .hasMessageContaining("cluster prod-eu, context prod-eu")
        .hasMessageContaining("--context-prefix");
    assertThat(existing).isEqualTo(before);
    // With a prefix the same kubeconfig takes the gateway's entries beside its own.
    ObjectNode merged = merge.merge(existing, entries("gw-"));
    assertThat(names(merged, "contexts")).containsExactly("prod-eu", "gw-prod-eu", "gw-staging");
  }

  @Test
  void a_user_entry_of_the_same_name_that_is_not_this_gateways_plugin_is_a_conflict() {
    ObjectNode existing = yaml("users: [{ name: \"kgate@gw.example.com:8443\", user: { token: hand-written } }]");
    assertThatThrownBy(() -> merge.merge(existing, entries(""))).hasMessageContaining("user kgate@gw.example.com:8443");
  }

  private static KubeconfigEntries entries(String prefix) {
    return KubeconfigEntries.of(TARGET, GRANTED, prefix, "kgate", null);
  }

  private static ObjectNode yaml(String text) {
    return (ObjectNode) YAML.readTree(text);
  }

  private static List<String> names(ObjectNode document, String list) {
    return document.path(list).valueStream().map(node -> node.path("name").asString()).toList();
  }
}
