package dev.kgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.idp.SimIdp;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

  @TempDir Path dir;

  @Test
  void aConfigurationWithManyMistakesIsRefusedWithEveryErrorAndItsKeyPath() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, """
        listen:
          port: 70000
          tls: { cert: missing.crt, key: missing.key }
        oidc:
          issuers:
            - url: https://idp.example.com/realms/eng
              audiences: [kubernetes]
              algorithms: [HS256]
        clusters:
          - name: prod-eu
            server: http://10.0.0.1:6443
            ca: missing-ca.crt
            credentials: { tokenFile: missing.token }
            colour: blue
        """);

    CapturedRun run = CapturedRun.of("serve", "--config", bad.toString());

    assertThat(run.exitCode()).as("invalid configuration exit code").isEqualTo(2);
    assertThat(run.out()).as("nothing on stdout").isEmpty();
    assertThat(run.err().lines().findFirst()).hasValue("kgate: invalid configuration " + bad + ":");
    assertThat(run.err().lines().skip(1))
        .as("one indented line per error, each naming its key path")
        .allSatisfy(line -> assertThat(line).startsWith("  "))
        .anySatisfy(line -> assertThat(line).startsWith("  listen.port: "))
        .anySatisfy(line -> assertThat(line).startsWith("  listen.tls.cert: "))
        .anySatisfy(line -> assertThat(line).startsWith("  listen.tls.key: "))
        .anySatisfy(line -> assertThat(line).startsWith("  oidc.issuers[0].algorithms"))
        .anySatisfy(line -> assertThat(line).startsWith("  clusters[0].server: "))
        .anySatisfy(line -> assertThat(line).startsWith("  clusters[0].ca: "))
        .anySatisfy(line -> assertThat(line).startsWith("  clusters[0].credentials.tokenFile: "))
        .anySatisfy(line -> assertThat(line).startsWith("  clusters[0].colour: "));
    assertThat(run.err()).as("no stack trace").doesNotContain("\tat ").doesNotContain("Exception");
  }

  @Test
  void aMissingConfigurationFileIsOneErrorWithoutAStackTrace() {
    Path missing = dir.resolve("nowhere.yaml");

    CapturedRun run = CapturedRun.of("serve", "--config", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .containsExactly(
            "kgate: invalid configuration " + missing + ":",
            "  configuration file does not exist: " + missing);
  }

  @Test
  void aYamlSyntaxErrorIsReportedWithoutAStackTrace() throws IOException {
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "listen: { port: 8443\nclusters: [\n");

    CapturedRun run = CapturedRun.of("serve", "--config", broken.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines().findFirst()).hasValue("kgate: invalid configuration " + broken + ":");
    assertThat(run.err()).doesNotContain("\tat ");
  }

  @Test
  void serveRunsTheGatewayUntilStoppedAndThenReleasesThePort() throws Exception {
    try (SimIdp idp = SimIdp.start(); SimCluster cluster = SimCluster.start("prod-eu")) {
      int port = freePort();
      Path config = validConfig(idp, cluster, port);
      StopSignal stop = StopSignal.manual();
      AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
      StringWriter err = new StringWriter();
      Thread serve = new Thread(() -> exitCode.set(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true),
          stop, "serve", "--config", config.toString())), "kgate-serve-under-test");
      serve.start();

      Awaitility.await("the gateway listens").atMost(Duration.ofSeconds(30)).until(() -> accepts(port) || !serve.isAlive());
      assertThat(serve.isAlive()).as("serve is still running (stderr: %s)", err).isTrue();
      stop.requestStop();
      serve.join(Duration.ofSeconds(30).toMillis());

      assertThat(serve.isAlive()).as("serve returned after the stop request").isFalse();
      assertThat(exitCode.get()).as("exit code (stderr: %s)", err).isZero();
      assertThat(accepts(port)).as("the port is closed").isFalse();
    }
  }

  @Test
  void sighupMakesServeLookAtItsFilesAtOnce() throws Exception {
    ch.qos.logback.classic.Logger reloads =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(ReloadSignal.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen =
        new ch.qos.logback.core.read.ListAppender<>();
    seen.start();
    reloads.addAppender(seen);
    try (SimIdp idp = SimIdp.start(); SimCluster cluster = SimCluster.start("prod-eu")) {
      int port = freePort();
      Path config = validConfig(idp, cluster, port);
      StopSignal stop = StopSignal.manual();
      Thread serve = new Thread(() -> Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
          stop, "serve", "--config", config.toString()), "kgate-serve-under-test");
      serve.start();
      try {
        Awaitility.await("the gateway listens").atMost(Duration.ofSeconds(30)).until(() -> accepts(port));

        sun.misc.Signal.raise(new sun.misc.Signal("HUP"));

        Awaitility.await("the reload").atMost(Duration.ofSeconds(5)).until(() -> seen.list.stream()
            .anyMatch(e -> e.getFormattedMessage().startsWith("SIGHUP: reloading")));
        assertThat(serve.isAlive()).as("SIGHUP does not stop serve").isTrue();
      } finally {
        stop.requestStop();
        serve.join(Duration.ofSeconds(30).toMillis());
      }
    } finally {
      reloads.detachAppender(seen);
    }
  }

  @Test
  void aTakenPortIsOnePlainLineAndExitCodeOne() throws Exception {
    try (SimIdp idp = SimIdp.start();
        SimCluster cluster = SimCluster.start("prod-eu");
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Path config = validConfig(idp, cluster, taken.getLocalPort());

      CapturedRun run = CapturedRun.of("serve", "--config", config.toString());

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err().lines())
          .containsExactly("kgate: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": the address is already in use");
    }
  }

  @Test
  void serveWithoutConfigIsAUsageError() {
    CapturedRun run = CapturedRun.of("serve");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--config");
  }

  private Path validConfig(SimIdp idp, SimCluster cluster, int port) throws IOException {
    TestPki pki = TestPki.create("serve test CA");
    pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"))
        .writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    cluster.writeCaPem(dir.resolve("prod-eu-ca.crt"));
    Files.writeString(dir.resolve("prod-eu.token"), cluster.gatewayToken());
    Path config = dir.resolve("gateway.yaml");
    Files.writeString(config, """
        listen: { address: 127.0.0.1, port: %d, tls: { cert: tls.crt, key: tls.key } }
        oidc:
          issuers:
            - url: %s
              audiences: [kubernetes]
              claims: { username: email, groups: groups }
        clusters:
          - name: prod-eu
            server: %s
            ca: prod-eu-ca.crt
            credentials: { tokenFile: prod-eu.token }
        audit: { dir: audit }
        """.formatted(port, idp.issuer(), cluster.url()));
    return config;
  }

  private static boolean accepts(int port) {
    try {
      new Socket("127.0.0.1", port).close();
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
