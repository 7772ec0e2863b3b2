package dev.kgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.cli.demo.DemoBanner;
import dev.kgate.cli.login.CredentialMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts {@code kgate demo} in-process (port 0, a temp dir), reads the banner it prints, and runs
 * every command the banner suggests through {@link DemoWalkthrough}; {@code DemoLauncherIT} does
 * the same with the built distribution through {@code ./kgate}. In-process, the kubeconfig's
 * plugin is this JVM's class path on the lean entry point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoTest {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern GATEWAY_PORT = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)");

  private Path work;

  private final StopSignal stop = StopSignal.manual();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicInteger exitCode = new AtomicInteger(Integer.MIN_VALUE);
  private Thread demo;
  private Path demoDir;
  private Path home;
  private List<String> bannerLines;
  private String exportLine;
  private int gatewayPort;

  @BeforeAll
  void startTheDemo(@TempDir Path tempDir) throws IOException {
    work = tempDir;
    demoDir = work.resolve("demo");
    home = Files.createDirectories(work.resolve("home"));
    demo = new Thread(() -> exitCode.set(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), stop,
        "demo", "--port", "0", "--dir", demoDir.toString())), "kgate-demo-under-test");
    demo.start();
    Awaitility.await("the demo banner")
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> out.toString().contains(DemoBanner.LAST_LINE) || !demo.isAlive());
    assertThat(out.toString())
        .as("the demo printed its banner (exit code %s, stderr: %s)", exitCode.get(), err)
        .contains(DemoBanner.LAST_LINE);
    bannerLines = out.toString().lines().toList();
    Matcher port = GATEWAY_PORT.matcher(out.toString());
    assertThat(port.find()).as("the banner names the gateway address").isTrue();
    gatewayPort = Integer.parseInt(port.group(1));
    exportLine = bannerLines.stream().filter(line -> line.startsWith(DemoBanner.COMMAND_PREFIX))
        .map(line -> line.substring(DemoBanner.COMMAND_PREFIX.length())).findFirst().orElseThrow();
  }

  @AfterAll
  void ctrlCStopsEverythingCleanly() throws InterruptedException {
    stop.requestStop();
    demo.join(Duration.ofSeconds(30).toMillis());
    assertThat(demo.isAlive()).as("the demo returned after the stop request").isFalse();
    assertThat(exitCode.get()).as("exit code of kgate demo (stderr: %s)", err).isZero();
    assertThatThrownBy(() -> new Socket("127.0.0.1", gatewayPort).close())
        .as("the gateway no longer listens")
        .isInstanceOf(ConnectException.class);
  }

  @Test
  @Order(1)
  void theFirstCommandExportsTheDemoKubeconfigWhichIsPrivateAndVerifiesTls() throws IOException {
    Path kubeconfig = demoDir.resolve("kubeconfig").toAbsolutePath();
    assertThat(exportLine).isEqualTo("export KUBECONFIG=" + kubeconfig);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
    for (String secret : List.of("prod-eu.token", "staging.token", "gateway.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demoDir.resolve(secret))))
          .as(secret).isEqualTo("rw-------");
    }
    String text = Files.readString(kubeconfig);
    assertThat(text)
        .contains("certificate-authority-data:")
        .contains("server: https://127.0.0.1:" + gatewayPort + "/clusters/prod-eu")
        .contains("server: https://127.0.0.1:" + gatewayPort + "/clusters/staging")
        .contains("current-context: prod-eu")
        .doesNotContain("insecure-skip-tls-verify");
    // Nobody is signed in by the demo: the user runs the login plugin, and no token is in the file.
    assertThat(text)
        .contains("apiVersion: client.authentication.k8s.io/v1")
        .contains(CredentialMain.class.getName())
        .contains("--gateway")
        .doesNotContain("token:");
  }

  @TestFactory
  @Order(2)
  Stream<DynamicTest> everyPrintedCommandBehavesAsTheBannerSays() {
    // The ./kgate lines run this build's CLI (the launcher would build the distribution first).
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cli = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' " + Main.class.getName() + " ";
    return new DemoWalkthrough(bannerLines, demoDir, home, work, command -> cli + command.substring("./kgate ".length()),
        gatewayPort).tests();
  }
}
