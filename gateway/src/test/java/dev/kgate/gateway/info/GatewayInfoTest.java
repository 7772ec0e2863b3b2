package dev.kgate.gateway.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.gateway.server.GatewayWorld;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The gateway's own endpoints: how to log in (public), and the clusters this person may use. */
class GatewayInfoTest {

  static final String POLICY = """
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["*"]
          rules: [ { verbs: [get], resources: [pods], namespaces: ["*"] } ]
        - name: dev
          subjects: { groups: [dev] }
          clusters: ["dev-*"]
          rules: [ { verbs: [get], resources: [pods], namespaces: ["*"] } ]
        - name: dev-readers
          subjects: { groups: [dev] }
          clusters: [dev-1]
          rules: [ { verbs: [list], resources: [pods], namespaces: ["*"] } ]
      """;

  @TempDir Path dir;
  GatewayWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private HttpResponse<String> call(String method, String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + world.gateway.port() + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    request.method(method, HttpRequest.BodyPublishers.noBody());
    return HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build()
        .send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JsonMapper.builder().build().readTree(response.body());
  }

  @Test
  void wellKnownTellsAnyoneHowToLogInAndIsAudited() throws Exception {
    world = GatewayWorld.withPolicy(dir, POLICY, "prod-eu", "dev-1");

    HttpResponse<String> response = call("GET", "/.well-known/kgate", null);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode info = json(response);
    assertThat(info.get("kind").asString()).isEqualTo("GatewayInfo");
    assertThat(info.get("issuers").get(0).get("issuer").asString()).isEqualTo(world.idp.issuer().toString());
    assertThat(info.get("issuers").get(0).get("clientId").asString()).isEqualTo("kgate");
    assertThat(info.get("issuers").get(0).get("audiences").get(0).asString()).isEqualTo("kubernetes");
    assertThat(info.get("scopes").toString()).contains("openid").contains("offline_access");
    String auditId = response.headers().firstValue("Audit-Id").orElseThrow();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        new AuditQuery(world.auditDir()).find(AuditFilter.any())).anySatisfy(e -> {
          assertThat(e.auditId()).isEqualTo(auditId);
          assertThat(e.user().isAnonymous()).isTrue();
          assertThat(e.decision()).isEqualTo(AuditAnnotations.ALLOW);
          assertThat(e.requestUri()).isEqualTo("/.well-known/kgate");
        }));
    assertThat(call("POST", "/.well-known/kgate", null).statusCode()).isEqualTo(400);
  }

  @Test
  void theClusterListShowsOnlyTheClustersAPersonMayUseWithTheirRoles() throws Exception {
    world = GatewayWorld.withPolicy(dir, POLICY, "prod-eu", "dev-1");

    JsonNode bob = json(call("GET", "/kgate/v1/clusters", world.tokenFor("bob@example.com", List.of("dev"))));
    JsonNode alice = json(call("GET", "/kgate/v1/clusters", world.tokenFor("alice@example.com", List.of("sre"))));

    assertThat(bob.get("user").asString()).isEqualTo("bob@example.com");
    assertThat(bob.get("items")).hasSize(1);
    assertThat(bob.get("items").get(0).get("name").asString()).isEqualTo("dev-1");
    assertThat(bob.get("items").get(0).get("roles").toString()).isEqualTo("[\"dev\",\"dev-readers\"]");
    assertThat(alice.get("items")).hasSize(2);
    assertThat(alice.get("items").get(0).get("name").asString()).isEqualTo("prod-eu");
    assertThat(alice.get("items").get(0).get("path").asString()).isEqualTo("/clusters/prod-eu");
    assertThat(alice.get("items").get(1).get("roles").toString()).isEqualTo("[\"sre\"]");
    assertThat(call("GET", "/kgate/v1/clusters", null).statusCode()).as("a token is needed").isEqualTo(401);
  }

  @Test
  void withoutAPolicyEveryClusterIsListedWithoutRoles() throws Exception {
    world = GatewayWorld.start(dir, "alpha", "beta");

    JsonNode list = json(call("GET", "/kgate/v1/clusters", world.tokenFor("alice@example.com", List.of("sre"))));

    assertThat(list.get("items")).hasSize(2);
    assertThat(list.get("items").get(0).get("roles")).isEmpty();
  }
}
