package dev.kgate.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.server.GatewayServer;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.idp.SimIdp;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlResult;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole loop: the real kubectl runs an exec through a real gateway, which records it, and
 * {@code kgate audit play} reproduces what the session printed, as {@code kgate audit sessions}
 * says it can.
 */
class RecordedSessionPlaybackTest {

  private static final String NS = "payments";
  private static final String POD = SimSeed.SINGLE_CONTAINER_POD;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  static SimIdp idp;
  static SimCluster cluster;
  static GatewayServer gateway;
  static Kubectl kubectl;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = TestPki.create("kgate-play-ca");
    pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"))
        .writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    idp = SimIdp.start();
    idp.writeCaPem(dir.resolve("idp-ca.crt"));
    cluster = SimCluster.start("alpha");
    cluster.writeCaPem(dir.resolve("alpha-ca.crt"));
    Files.writeString(dir.resolve("alpha.token"), cluster.gatewayToken());
    GatewayConfig config = new GatewayConfig(
        new GatewayConfig.Listen("127.0.0.1", 0, new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("tls.key"), null)),
        List.of(new IssuerSettings(idp.issuer(), List.of("kubernetes"), "kgate", IssuerSettings.DEFAULT_ALGORITHMS,
            Duration.ofSeconds(30), new IssuerSettings.ClaimMapping("email", "", "groups", ""), dir.resolve("idp-ca.crt"))),
        List.of(new GatewayConfig.Cluster("alpha", URI.create(cluster.url()), dir.resolve("alpha-ca.crt"), null,
            new GatewayConfig.Credentials.TokenFile(dir.resolve("alpha.token")), Duration.ofSeconds(2),
            Duration.ofSeconds(90))),
        new GatewayConfig.Limits(ConfigLoader.DEFAULT_MAX_INITIAL_LINE_LENGTH, ConfigLoader.DEFAULT_MAX_HEADER_SIZE,
            ConfigLoader.DEFAULT_MAX_HEADER_LIST_SIZE, Duration.ofMinutes(5), Duration.ofSeconds(10)),
        new GatewayConfig.Audit(dir.resolve("audit"), true, ConfigLoader.DEFAULT_AUDIT_FSYNC_INTERVAL,
            ConfigLoader.DEFAULT_AUDIT_RETENTION, null),
        null);
    gateway = GatewayServer.start(config);
    String token = idp.mintToken("alice@example.com",
        Map.of("email", "alice@example.com", "email_verified", true, "groups", List.of("sre")), Duration.ofHours(1));
    String ca = Base64.getEncoder().encodeToString(pki.caCertificatePem().getBytes());
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: alpha\n  cluster:\n"
        + "    server: https://127.0.0.1:" + gateway.port() + "/clusters/alpha\n"
        + "    certificate-authority-data: " + ca + "\nusers:\n- name: user\n  user:\n    token: " + token
        + "\ncontexts:\n- name: alpha\n  context:\n    cluster: alpha\n    user: user\ncurrent-context: alpha\n");
    kubectl = Kubectl.builder().kubeconfig(kubeconfig).home(dir.resolve("home")).timeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (idp != null) {
      idp.close();
    }
  }

  @Test
  void anExecRecordedByTheGatewayIsReplayedWithExactlyItsOutput() {
    KubectlResult exec = kubectl.runWithInput("hi\nthere\n", "exec", "-i", POD, "-n", NS, "--", "cat");
    assertThat(exec.succeeded()).as(exec.describe()).isTrue();
    Path audit = dir.resolve("audit");

    await().atMost(WAIT).untilAsserted(() -> {
      AuditRun sessions = AuditRun.of("sessions", "--dir", audit.toString());
      assertThat(sessions.exitCode()).as(sessions.err()).isZero();
      assertThat(sessions.outLines()).hasSize(2);
      assertThat(sessions.outLines().get(1).split(" +")).as("the RECORDING column").contains("yes");
    });
    String row = AuditRun.of("sessions", "--dir", audit.toString()).outLines().get(1);
    String auditId = row.split(" +")[SessionsCommand.HEADER.indexOf("AUDIT-ID")];

    AuditRun play = AuditRun.of("play", "--dir", audit.toString(), "--no-wait", auditId);

    assertThat(play.exitCode()).as(play.err()).isZero();
    assertThat(play.out()).isEqualTo(exec.stdout()).isEqualTo("hi\nthere\n");
  }
}
