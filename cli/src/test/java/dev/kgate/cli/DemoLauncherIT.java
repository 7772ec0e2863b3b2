package dev.kgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.cli.demo.DemoBanner;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * {@code ./kgate demo} exactly as the README's first line runs it: the launcher of this checkout
 * starting the built distribution ({@code cli/target/kgate.jar}, so this runs after {@code
 * package}, under failsafe), every printed command run as printed from the checkout's root, the
 * {@code ./kgate} lines and the kubeconfig's credential plugin through the launcher too, and
 * Ctrl-C (SIGINT) stopping everything. {@code KGATE_NO_BUILD=1} keeps the launcher from
 * rebuilding the distribution under the running build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoLauncherIT {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Pattern PORTS = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)");

  private final Path root = Path.of("").toAbsolutePath().getParent();
  private final StringBuffer out = new StringBuffer();
  private Process demo;
  private Path demoDir;
  private Path home;
  private Path log;
  private List<String> bannerLines;
  private int gatewayPort;
  private int idpPort;

  @BeforeAll
  void startTheDemo(@TempDir Path temp) throws IOException {
    assertThat(root.resolve("kgate")).as("the launcher at the checkout's root").isExecutable();
    demoDir = temp.resolve("demo");
    home = Files.createDirectories(temp.resolve("home"));
    log = temp.resolve("demo.stderr");
    ProcessBuilder builder = new ProcessBuilder("./kgate", "demo", "--port", "0", "--dir", demoDir.toString())
        .directory(root.toFile())
        .redirectError(log.toFile());
    builder.environment().remove("KUBECONFIG");
    builder.environment().put("KGATE_NO_BUILD", "1");
    builder.environment().put("HOME", home.toString());
    demo = builder.start();
    demo.getOutputStream().close();
    Thread reader = new Thread(() -> copy(demo.getInputStream()), "demo-stdout");
    reader.setDaemon(true);
    reader.start();
    Awaitility.await("the demo banner").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
        .until(() -> out.toString().contains(DemoBanner.LAST_LINE) || !demo.isAlive());
    assertThat(out.toString()).as("the banner (stderr: %s)", Files.readString(log)).contains(DemoBanner.LAST_LINE);
    bannerLines = out.toString().lines().toList();
    Matcher ports = PORTS.matcher(out.toString());
    assertThat(ports.find()).isTrue();
    gatewayPort = Integer.parseInt(ports.group(1));
    assertThat(ports.find()).as("the banner names the IdP's address").isTrue();
    idpPort = Integer.parseInt(ports.group(1));
  }

  @AfterAll
  void ctrlCStopsEverything() throws Exception {
    new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).inheritIO().start().waitFor();
    assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo stopped on SIGINT (stderr: %s)", Files.readString(log))
        .isTrue();
    for (int port : List.of(gatewayPort, idpPort)) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).as("port %d is closed", port)
          .isInstanceOf(ConnectException.class);
    }
  }

  @Test
  @Order(1)
  void theKubeconfigRunsThePluginThroughTheLauncher() throws IOException {
    assertThat(Files.readString(demoDir.resolve("kubeconfig")))
        .contains("command: " + root.resolve("kgate"))
        .contains("- credential")
        .doesNotContain("token:");
  }

  @TestFactory
  @Order(2)
  Stream<DynamicTest> everyPrintedCommandBehavesAsTheBannerSays() {
    // As printed; KGATE_NO_BUILD=1 only keeps the launcher from rebuilding under the running build.
    return new DemoWalkthrough(bannerLines, demoDir, home, root, command -> "KGATE_NO_BUILD=1 " + command, gatewayPort)
        .tests();
  }

  private void copy(InputStream stdout) {
    try (stdout) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = stdout.read(buffer)) >= 0) {
        out.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the process ended
    }
  }
}
