package dev.kgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Level;
import dev.kgate.audit.Stage;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.audit.redact.BodyRedaction;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import dev.kgate.gateway.server.GatewayWorld;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real kubectl through a gateway whose {@code audit.levels} record creates and deletes on
 * production with their bodies: the applied object and the cluster's answer land in the person's
 * log, the same apply elsewhere stays at Metadata, a Secret's value is written nowhere in the
 * audit directory, a credential-like field is redacted (in the object and in kubectl's
 * last-applied copy of it), and the log still verifies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditLevelsThroughGatewayTest {

  private static final String ALICE = "alice@example.com";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String PASSWORD = "hunter2-in-a-configmap";
  private static final String SECRET_VALUE = "s3cr3t-token-Qx7v";

  static final String AUDIT = """
      levels:
        - { level: RequestResponse, clusters: ["prod-*"], verbs: [delete, create] }
        - { level: RequestResponse, clusters: ["prod-*"], resources: [secrets] }
        - { level: Metadata, verbs: [get, list, watch] }
      """;

  @TempDir static Path dir;
  static GatewayWorld world;
  static Kubectl alice;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.withAuditConfig(dir, AUDIT, "prod-eu", "dev-1");
    Path kubeconfig = world.writeKubeconfig(dir.resolve("alice.kubeconfig"), world.tokenFor(ALICE, List.of("sre")));
    alice = Kubectl.builder().kubeconfig(kubeconfig).home(dir.resolve("home-alice")).timeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static KubectlResult ok(KubectlResult result) {
    assertThat(result.succeeded()).as(result.describe()).isTrue();
    return result;
  }

  private static void apply(String cluster, String name, String manifest) throws Exception {
    Path file = dir.resolve(cluster + "-" + name + ".yaml");
    Files.writeString(file, manifest);
    ok(alice.run("--context", cluster, "apply", "-f", file.toString()));
  }

  private static String configMap(String name, String dataYaml) {
    return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: default\ndata:\n"
        + dataYaml;
  }

  /** The newest ResponseComplete event of a create of {@code resource} on {@code cluster}, once it is in the log. */
  private static AuditEvent lastCreateOf(String cluster, String resource) {
    AuditQuery query = new AuditQuery(world.auditDir());
    AuditEvent[] found = new AuditEvent[1];
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      List<AuditEvent> events = query.find(AuditFilter.any().withUser(ALICE)).stream()
          .filter(e -> e.stage() == Stage.ResponseComplete && "create".equals(e.verb()) && cluster.equals(e.cluster())
              && e.objectRef() != null && resource.equals(e.objectRef().resource()))
          .filter(e -> e.responseStatus().code() == 201)
          .toList();
      assertThat(events).as("a create of %s on %s", resource, cluster).isNotEmpty();
      found[0] = events.get(events.size() - 1);
    });
    return found[0];
  }

  @Test
  @Order(1)
  void anApplyOnProductionRecordsTheObjectSentAndTheObjectCreated() throws Exception {
    apply("prod-eu", "shop-settings", configMap("shop-settings", "  color: blue\n"));

    AuditEvent event = lastCreateOf("prod-eu", "configmaps");

    assertThat(event.level()).isEqualTo(Level.RequestResponse);
    assertThat(event.annotations()).containsEntry(AuditAnnotations.LEVEL_RULE, "levels[0]");
    assertThat(event.requestObject()).as("the request body").isNotNull();
    JsonNode sent = event.requestObject().tree();
    assertThat(sent.at("/kind").stringValue()).isEqualTo("ConfigMap");
    assertThat(sent.at("/data/color").stringValue()).isEqualTo("blue");
    assertThat(event.responseObject()).as("the response body").isNotNull();
    JsonNode created = event.responseObject().tree();
    assertThat(created.at("/metadata/name").stringValue()).isEqualTo("shop-settings");
    assertThat(created.at("/metadata/uid").isMissingNode()).as("the cluster's answer, not the request")
        .isFalse();
  }

  @Test
  @Order(2)
  void theSameApplyOnADevelopmentClusterIsRecordedAtMetadataOnly() throws Exception {
    apply("dev-1", "shop-settings", configMap("shop-settings", "  color: green\n"));

    AuditEvent event = lastCreateOf("dev-1", "configmaps");

    assertThat(event.level()).isEqualTo(Level.Metadata);
    assertThat(event.requestObject()).isNull();
    assertThat(event.responseObject()).isNull();
    assertThat(event.annotations()).doesNotContainKeys(AuditAnnotations.LEVEL_RULE, AuditAnnotations.REQUEST_OBJECT);
  }

  @Test
  @Order(3)
  void aPasswordFieldInAConfigMapIsRedactedInTheObjectAndInItsLastAppliedCopy() throws Exception {
    apply("prod-eu", "db-settings", configMap("db-settings", "  host: db.internal\n  password: " + PASSWORD + "\n"));

    AuditEvent event = lastCreateOf("prod-eu", "configmaps");

    assertThat(event.requestObject()).isNotNull();
    JsonNode sent = event.requestObject().tree();
    assertThat(sent.at("/metadata/name").stringValue()).isEqualTo("db-settings");
    assertThat(sent.at("/data/host").stringValue()).isEqualTo("db.internal");
    assertThat(sent.at("/data/password").stringValue()).isEqualTo(BodyRedaction.REDACTED);
    assertThat(sent.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration").stringValue())
        .as("kubectl repeats the object in an annotation").contains("db.internal").doesNotContain(PASSWORD);
    assertThat(event.responseObject().tree().at("/data/password").stringValue()).isEqualTo(BodyRedaction.REDACTED);
    assertThat(event.annotations().get(AuditAnnotations.REQUEST_OBJECT)).startsWith("redacted ");
    assertThat(filesContaining(PASSWORD)).as("the password anywhere in the audit directory").isEmpty();
  }

  @Test
  @Order(4)
  void aSecretsValueIsWrittenNowhereInTheAuditDirectory() throws Exception {
    String encoded = Base64.getEncoder().encodeToString(SECRET_VALUE.getBytes(StandardCharsets.UTF_8));
    apply("prod-eu", "api-credentials", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-credentials\n"
        + "  namespace: default\ntype: Opaque\ndata:\n  token: " + encoded + "\nstringData:\n  plain: "
        + SECRET_VALUE + "\n");
    ok(alice.run("--context", "prod-eu", "get", "secret", "api-credentials", "-n", "default", "-o", "yaml"));
    ok(alice.run("--context", "prod-eu", "get", "secrets", "-n", "default", "-o", "json"));

    AuditEvent created = lastCreateOf("prod-eu", "secrets");

    assertThat(created.level()).isEqualTo(Level.RequestResponse);
    assertThat(created.requestObject()).isNull();
    assertThat(created.responseObject()).isNull();
    assertThat(created.annotations()).containsEntry(AuditAnnotations.REQUEST_OBJECT,
        "never written: a body of secrets");
    assertThat(filesContaining(SECRET_VALUE)).as("the Secret's value anywhere in the audit directory").isEmpty();
    assertThat(filesContaining(encoded)).as("its base64 form anywhere in the audit directory").isEmpty();
    assertThat(filesContaining("shop-settings")).as("while bodies at this level are written").isNotEmpty();
  }

  @Test
  @Order(5)
  void theLogWithItsRecordedBodiesStillVerifies() {
    VerifyReport report = AuditVerifier.trustingKeyIn(world.auditDir()).verify(world.auditDir(), Optional.empty());

    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(report.chains()).as("alice's chain").isNotEmpty();
  }

  private static List<Path> filesContaining(String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(world.auditDir())) {
      return files.filter(Files::isRegularFile).filter(file -> contains(file, needle)).toList();
    }
  }

  private static boolean contains(Path file, byte[] needle) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
          .contains(new String(needle, StandardCharsets.ISO_8859_1));
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
