package dev.kgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Stage;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.gateway.server.GatewayWorld;
import dev.kgate.sim.cluster.RecordedRequest;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlProcess;
import dev.kgate.sim.kubectl.KubectlResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl through a gateway that enforces a policy and audits every request: people get
 * exactly what their role grants, with the groups it names; a denial says what is missing; exec in
 * production needs a fresh MFA login; every request, allowed or refused, lands in that person's
 * own tamper-evident log; a policy change applies to the next request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyAndAuditThroughGatewayTest {

  private static final String ALICE = "alice@example.com";
  private static final String BOB = "bob@example.com";
  private static final Duration WAIT = Duration.ofSeconds(30);

  static final String POLICY = """
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["prod-*", "dev-*"]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: [payments],
                mfa: { required: true, maxAge: 10m } }
        - name: dev
          subjects: { groups: [dev] }
          clusters: ["dev-*"]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["", apps], resources: [pods, pods/log, deployments],
                namespaces: ["dev-*"] }
      """;

  @TempDir static Path dir;
  static GatewayWorld world;
  static Kubectl alice;
  static Kubectl aliceWithMfa;
  static Kubectl bob;
  static Instant started;
  static String aliceToken;

  @BeforeAll
  static void start() throws Exception {
    started = Instant.now();
    world = GatewayWorld.withPolicy(dir, POLICY, "prod-eu", "dev-1");
    aliceToken = world.tokenFor(ALICE, List.of("sre"));
    alice = kubectl("alice", aliceToken);
    long now = Instant.now().getEpochSecond();
    aliceWithMfa = kubectl("alice-mfa", world.idp.mintToken(ALICE, Map.of("email", ALICE, "email_verified", true,
        "groups", List.of("sre"), "amr", List.of("pwd", "otp"), "auth_time", now), Duration.ofHours(1)));
    bob = kubectl("bob", world.tokenFor(BOB, List.of("dev")));
  }

  private static Kubectl kubectl(String name, String token) throws Exception {
    Path kubeconfig = world.writeKubeconfig(dir.resolve(name + ".kubeconfig"), token);
    return Kubectl.builder().kubeconfig(kubeconfig).home(dir.resolve("home-" + name)).timeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void forget() {
    world.clusters.values().forEach(SimCluster::clearRequests);
  }

  private static KubectlResult ok(KubectlResult result) {
    assertThat(result.succeeded()).as(result.describe()).isTrue();
    return result;
  }

  private static KubectlResult refused(KubectlResult result) {
    assertThat(result.succeeded()).as(result.describe()).isFalse();
    return result;
  }

  private static boolean reached(String cluster, String pathPart) {
    return world.cluster(cluster).requests().stream().anyMatch(r -> r.uri().contains(pathPart));
  }

  @Test
  @Order(1)
  void aDeveloperListsPodsInDevNamespacesAsTheRolesGroups() {
    KubectlResult result = ok(bob.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));

    assertThat(result.stdout()).contains(SimSeed.DEV_POD);
    RecordedRequest seen = world.cluster("dev-1").awaitRequest(
        r -> r.uri().startsWith("/api/v1/namespaces/dev-team/pods"), Duration.ofSeconds(5));
    assertThat(seen.headers("Impersonate-User")).containsExactly(BOB);
    assertThat(seen.headers("Impersonate-Group"))
        .as("the role's groups, not the IdP's").containsExactly("kgate:dev", "system:authenticated");
  }

  @Test
  @Order(2)
  void aDeveloperIsToldWhatTheyLackForSecretsAndNothingReachesTheCluster() {
    KubectlResult result = refused(bob.run("--context", "dev-1", "get", "secrets", "-n", "dev-team"));

    assertThat(result.stderr()).contains("Forbidden").contains("secrets").contains("dev-team").contains("dev-1");
    assertThat(reached("dev-1", "/secrets")).isFalse();
  }

  @Test
  @Order(3)
  void aClusterOutsideTheRoleLooksExactlyLikeOneThatDoesNotExist() throws Exception {
    KubectlResult prod = refused(bob.run("--context", "prod-eu", "get", "pods", "-n", "payments"));
    Path elsewhere = dir.resolve("nowhere.kubeconfig");
    Files.writeString(elsewhere, Files.readString(dir.resolve("bob.kubeconfig"))
        .replace("/clusters/prod-eu", "/clusters/prod-xx"));
    Kubectl lost = Kubectl.builder().kubeconfig(elsewhere).home(dir.resolve("home-bob")).timeout(WAIT).build();
    KubectlResult unknown = refused(lost.run("--context", "prod-eu", "get", "pods", "-n", "payments"));

    assertThat(prod.stderr()).contains("may not use cluster \"prod-eu\"");
    assertThat(withoutKlogPrefixes(unknown.stderr().replace("prod-xx", "prod-eu")))
        .isEqualTo(withoutKlogPrefixes(prod.stderr()));
    assertThat(reached("prod-eu", "/pods")).isFalse();
  }

  @Test
  @Order(4)
  void execInProductionNeedsAFreshMfaLoginAndSaysWhichCommandGetsOne() {
    KubectlResult withoutMfa = refused(alice.runWithInput("hi\n",
        "--context", "prod-eu", "exec", "-i", SimSeed.SINGLE_CONTAINER_POD, "-n", "payments", "--", "cat"));

    assertThat(withoutMfa.stderr()).contains("kgate login --mfa");
    assertThat(reached("prod-eu", "/exec")).as("nothing of the exec reached the cluster").isFalse();

    KubectlResult withMfa = ok(aliceWithMfa.runWithInput("hi\n",
        "--context", "prod-eu", "exec", "-i", SimSeed.SINGLE_CONTAINER_POD, "-n", "payments", "--", "cat"));
    assertThat(withMfa.stdout()).isEqualTo("hi\n");
  }

  @Test
  @Order(4)
  void theStepUpAnswerIsAnRfc9470ChallengeWithTheLoginToRun() throws Exception {
    HttpResponse<String> response = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build()
        .send(HttpRequest.newBuilder(URI.create(world.url("prod-eu",
                "/api/v1/namespaces/payments/pods/" + SimSeed.SINGLE_CONTAINER_POD + "/exec?command=cat&stdin=true")))
            .header("Authorization", "Bearer " + aliceToken).POST(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge -> assertThat(challenge)
        .startsWith("Bearer error=\"insufficient_user_authentication\"").contains("max_age=600"));
    assertThat(response.body()).contains("\"kind\":\"Status\"").contains("kgate login --mfa --max-age 10m");
  }

  @Test
  @Order(5)
  void everyRequestLandsInItsOwnPersonsLogWithTheDecisionAndTheRule() throws Exception {
    AuditQuery query = new AuditQuery(world.auditDir());
    // Appends complete after the writer's group fsync; the last response may be a few ms ahead.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        query.find(AuditFilter.any().withUser(ALICE))).anyMatch(e -> "exec".equals(subresource(e))
            && e.stage() == Stage.ResponseComplete && AuditAnnotations.ALLOW.equals(e.decision())));
    List<AuditEvent> bobs = query.find(AuditFilter.any().withUser(BOB));
    List<AuditEvent> alices = query.find(AuditFilter.any().withUser(ALICE));

    assertThat(bobs).allMatch(e -> e.user().username().equals(BOB));
    assertThat(alices).allMatch(e -> e.user().username().equals(ALICE));
    assertThat(bobs).anySatisfy(e -> {
      assertThat(e.decision()).isEqualTo(AuditAnnotations.ALLOW);
      assertThat(e.verb()).isEqualTo("list");
      assertThat(e.cluster()).isEqualTo("dev-1");
      assertThat(e.objectRef().resource()).isEqualTo("pods");
      assertThat(e.objectRef().namespace()).isEqualTo("dev-team");
      assertThat(e.annotations()).containsEntry(AuditAnnotations.RULE, "dev.rules[0]");
      assertThat(e.impersonatedUser().groups()).containsExactly("kgate:dev", "system:authenticated");
      assertThat(e.responseStatus().code()).isEqualTo(200);
      assertThat(e.sourceIps()).containsExactly("127.0.0.1");
      assertThat(e.userAgent()).startsWith("kubectl");
    });
    assertThat(bobs).anySatisfy(e -> {
      assertThat(e.decision()).isEqualTo(AuditAnnotations.DENY);
      assertThat(e.objectRef().resource()).isEqualTo("secrets");
      assertThat(e.responseStatus().code()).isEqualTo(403);
    });
    assertThat(bobs).anySatisfy(e -> {
      assertThat(e.decision()).isEqualTo(AuditAnnotations.DENY);
      assertThat(e.cluster()).isEqualTo("prod-xx");
    });
    assertThat(alices).anySatisfy(e -> {
      assertThat(e.decision()).isEqualTo(AuditAnnotations.DENY);
      assertThat(subresource(e)).isEqualTo("exec");
      assertThat(e.responseStatus().code()).isEqualTo(401);
    });
    assertThat(alices).as("a long-running exec is recorded when it starts and when it ends")
        .filteredOn(e -> "exec".equals(subresource(e)) && AuditAnnotations.ALLOW.equals(e.decision()))
        .extracting(AuditEvent::stage).contains(Stage.RequestReceived, Stage.ResponseComplete);
    assertThat(alices).filteredOn(e -> "exec".equals(subresource(e)) && e.stage() == Stage.ResponseComplete
        && AuditAnnotations.ALLOW.equals(e.decision())).allSatisfy(e -> assertThat(e.amr()).contains("otp"));
    assertThat(Files.readString(onlyFileOf(BOB))).doesNotContain("Bearer").doesNotContain("eyJ");
  }

  @Test
  @Order(6)
  void aRequestWithoutAValidTokenIsAuditedUnderTheAnonymousUser() throws Exception {
    Kubectl stranger = kubectl("stranger", "not-a-token");
    refused(stranger.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));

    AuditQuery query = new AuditQuery(world.auditDir());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(query.find(AuditFilter.any()))
        .anySatisfy(e -> {
          assertThat(e.user().isAnonymous()).isTrue();
          assertThat(e.decision()).isEqualTo(AuditAnnotations.UNAUTHENTICATED);
          assertThat(e.responseStatus().code()).isEqualTo(401);
        }));
  }

  @Test
  @Order(7)
  void theLogsVerifyAsIntact() throws Exception {
    var report = AuditVerifier.trustingKeyIn(world.auditDir()).verify(world.auditDir(), Optional.empty());

    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.chains()).as("one chain per person, plus the anonymous one").hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  @Order(8)
  void aBlockedPersonIsRefusedOnTheNextRequestAfterThePolicyFileChanges() throws Exception {
    ok(bob.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));

    Files.writeString(dir.resolve("policy.yaml"), "blocked: { users: [\"" + BOB + "\"] }\n" + POLICY);

    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
        assertThat(bob.run("--context", "dev-1", "get", "pods", "-n", "dev-team").succeeded()).isFalse());
    world.clusters.values().forEach(SimCluster::clearRequests);
    KubectlResult blocked = refused(bob.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));
    assertThat(blocked.stderr()).contains("Forbidden");
    assertThat(reached("dev-1", "/pods")).isFalse();
    ok(alice.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));
  }

  @Test
  @Order(9)
  void anInvalidPolicyFileIsRefusedAndTheOldPolicyStays() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "roles: [ { name: broken, rules: 7 } ]\n");
    Thread.sleep(3_000); // longer than a reload interval: the gateway has read the broken file by now

    ok(alice.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));
    refused(bob.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));
  }

  @Test
  @Order(10)
  void aReloadThatTakesARightAwayEndsTheRunningWatchAndExecOpenedUnderIt() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), POLICY);
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
        assertThat(bob.run("--context", "dev-1", "get", "pods", "-n", "dev-team").succeeded()).isTrue());

    try (KubectlProcess watch = alice.start("--context", "dev-1", "get", "pods", "-n", "dev-team", "-w");
        KubectlProcess exec = aliceWithMfa.start("--context", "prod-eu", "exec", "-i",
            SimSeed.SINGLE_CONTAINER_POD, "-n", "payments", "--", "cat");
        KubectlProcess untouched = bob.start("--context", "dev-1", "get", "pods", "-n", "dev-team", "-w")) {
      watch.awaitLine(line -> line.startsWith(SimSeed.DEV_POD), WAIT);
      untouched.awaitLine(line -> line.startsWith(SimSeed.DEV_POD), WAIT);
      exec.writeStdin("before\n");
      exec.awaitLine("before"::equals, WAIT);

      // sre loses dev-* and exec; dev keeps everything it had.
      Files.writeString(dir.resolve("policy.yaml"), POLICY
          .replace("clusters: [\"prod-*\", \"dev-*\"]", "clusters: [\"prod-*\"]")
          .replaceAll("(?s) *- \\{ verbs: \\[create\\], resources: \\[pods/exec\\].*?maxAge: 10m \\} \\}\n", ""));

      KubectlResult watchEnded = watch.awaitExit(Duration.ofSeconds(20));
      KubectlResult execEnded = exec.awaitExit(Duration.ofSeconds(20));
      assertThat(watchEnded.timedOut()).as("the watch ended by itself: %s", watchEnded.describe()).isFalse();
      assertThat(execEnded.timedOut()).as("the exec ended by itself: %s", execEnded.describe()).isFalse();
      assertThat(untouched.isAlive()).as("a watch the new policy still allows keeps running").isTrue();
    }
    refused(alice.run("--context", "dev-1", "get", "pods", "-n", "dev-team"));
    refused(aliceWithMfa.runWithInput("hi\n",
        "--context", "prod-eu", "exec", "-i", SimSeed.SINGLE_CONTAINER_POD, "-n", "payments", "--", "cat"));
  }

  /** kubectl's log lines start with a time and a process id, which differ from run to run. */
  private static String withoutKlogPrefixes(String stderr) {
    return stderr.replaceAll("(?m)^E\\d{4} [0-9:.]+ +\\d+ ", "");
  }

  private static String subresource(AuditEvent event) {
    return event.objectRef() == null ? null : event.objectRef().subresource();
  }

  private static Path onlyFileOf(String user) throws Exception {
    try (var files = Files.walk(world.auditDir().resolve("users"))) {
      return files.filter(Files::isRegularFile).filter(f -> {
        try {
          return Files.readString(f).contains("\"" + user + "\"");
        } catch (Exception e) {
          return false;
        }
      }).findFirst().orElseThrow();
    }
  }
}
