package dev.kgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kgate.cli.demo.Demo;
import dev.kgate.cli.demo.DemoBanner;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.idp.LoginPageBrowser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs every command a {@code kgate demo} banner prints, in order, with the real kubectl, in a bash
 * shell that first ran the banner's own {@code export KUBECONFIG=…} line, the way a person would
 * copy them, and checks each behaves as the banner says. Long-running commands ({@code -w},
 * {@code logs -f}, {@code port-forward}, {@code exec -it}) run briefly and are checked for their
 * first output. The test is the person at the browser: {@code $BROWSER} records the login page's
 * address and the test signs in there as alice. A printed command this class does not know is a
 * failure, so the banner cannot grow a command nobody checked.
 */
final class DemoWalkthrough {

  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final List<String> commands;
  private final Path demoDir;
  private final Path home;
  private final Path workDir;
  private final UnaryOperator<String> kgate;
  private final int gatewayPort;
  private final String exportLine;

  /**
   * @param workDir where the commands run (the {@code ./kgate} lines are relative to it)
   * @param kgate   turns a printed {@code ./kgate …} line into what the shell runs for it
   */
  DemoWalkthrough(List<String> bannerLines, Path demoDir, Path home, Path workDir, UnaryOperator<String> kgate,
      int gatewayPort) {
    this.commands = bannerLines.stream()
        .filter(line -> line.startsWith(DemoBanner.COMMAND_PREFIX))
        .map(line -> line.substring(DemoBanner.COMMAND_PREFIX.length()))
        .toList();
    this.demoDir = Objects.requireNonNull(demoDir, "demoDir");
    this.home = Objects.requireNonNull(home, "home");
    this.workDir = Objects.requireNonNull(workDir, "workDir");
    this.kgate = Objects.requireNonNull(kgate, "kgate");
    this.gatewayPort = gatewayPort;
    this.exportLine = commands.get(0);
  }

  /** The banner's first command: the {@code export KUBECONFIG=…} line. */
  String exportLine() {
    return exportLine;
  }

  /** One dynamic test per command after the export line (a watch and its trigger, a forward and its curl, as one). */
  Stream<DynamicTest> tests() {
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 1; i < commands.size(); i++) {
      String command = commands.get(i);
      String next = i + 1 < commands.size() ? commands.get(i + 1) : "";
      if (command.matches("kubectl get pods -n \\S+ -w") && next.startsWith("kubectl run ")) {
        tests.add(DynamicTest.dynamicTest(command + "  +  " + next, () -> watchSeesTheNewPod(command, next)));
        i++;
      } else if (command.startsWith("kubectl port-forward ") && next.startsWith("curl ")) {
        tests.add(DynamicTest.dynamicTest(command + "  +  " + next, () -> portForwardAnswersCurl(command, next)));
        i++;
      } else {
        tests.add(DynamicTest.dynamicTest(command, () -> check(command)));
      }
    }
    return tests.stream();
  }

  private void check(String command) throws Exception {
    Matcher m;
    if ((m = match("kubectl get pods -n (\\S+)", command)) != null) {
      String stdout = succeeds(command);
      assertThat(stdout).startsWith("NAME");
      if (m.group(1).equals("payments")) {
        assertThat(stdout).contains(SimSeed.SINGLE_CONTAINER_POD).contains(SimSeed.SIDECAR_POD);
      }
    } else if ((m = match("kubectl get deployments -A --context (\\S+)", command)) != null) {
      assertThat(succeeds(command)).startsWith("NAMESPACE").contains("payments-api").contains("web").contains("coredns");
    } else if ((m = match("kubectl get pod (\\S+) -n (\\S+) -o yaml", command)) != null) {
      assertThat(succeeds(command))
          .contains("kind: Pod")
          .contains("name: " + m.group(1))
          .contains("namespace: " + m.group(2));
    } else if ((m = match("kubectl logs -f -n (\\S+) (\\S+)", command)) != null) {
      logsKeepComing(command);
    } else if ((m = match("echo (\\S+) \\| kubectl exec -i -n \\S+ \\S+ -- cat", command)) != null) {
      assertThat(succeeds(command)).isEqualTo(m.group(1) + "\n");
    } else if (match("kubectl exec -it -n \\S+ \\S+ -- sh", command) != null) {
      interactiveShellRunsACommand(command);
    } else if ((m = match("kubectl cp (\\S+) (\\S+)/(\\S+):(\\S+)", command)) != null) {
      succeeds(command);
    } else if ((m = match("kubectl exec -n \\S+ \\S+ -- cat (\\S+)", command)) != null) {
      // The file the banner's cp line copied in comes back out unchanged.
      String copied = Files.readString(demoDir.resolve(Path.of(m.group(1)).getFileName().toString()));
      assertThat(succeeds(command)).isEqualTo(copied);
    } else if (match("kubectl get secrets -n kube-system", command) != null) {
      try (ShellProcess refused = shell(command)) {
        refused.closeStdin();
        assertThat(refused.awaitExit(COMMAND_TIMEOUT)).as("%s", refused).isNotZero();
        assertThat(refused.stderr()).contains("Forbidden").contains("secrets").contains("kube-system");
      }
    } else if (match("\\./kgate login(?: --mfa --max-age 1h)?", command) != null) {
      signsInAtTheLoginPage(command);
    } else if (match("kubectl exec -n \\S+ \\S+ -- hostname", command) != null) {
      try (ShellProcess refused = shell(command)) {
        refused.closeStdin();
        assertThat(refused.awaitExit(COMMAND_TIMEOUT)).as("%s", refused).isNotZero();
        assertThat(refused.stderr()).contains("run \"kgate login --mfa --max-age 1h\"");
      }
    } else if (match("\\./kgate audit query .*", command) != null) {
      Awaitility.await("the refusal above is in the audit log").atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(succeeds(command)).contains(Demo.USER_EMAIL).contains("deny").contains("allow").contains("secrets"));
    } else {
      fail("the banner prints a command this test does not know how to check: " + command);
    }
  }

  /**
   * {@code ./kgate login [--mfa …]} as printed: the CLI runs {@code $BROWSER} with the login page's
   * address, and the test signs in there as alice (typing the one-time code when asked).
   */
  private void signsInAtTheLoginPage(String command) throws Exception {
    Path urls = Files.createTempFile(home, "browser-urls-", ".txt");
    Path browser = home.resolve("browser");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" > \"$KGATE_TEST_URLS\"\n");
    Files.setPosixFilePermissions(browser, PosixFilePermissions.fromString("rwx------"));
    try (ShellProcess login = ShellProcess.start(exportLine + "\n" + kgate.apply(command),
        Map.of("HOME", home.toString(), "BROWSER", browser.toString(), "KGATE_TEST_URLS", urls.toString()), workDir)) {
      login.closeStdin();
      Awaitility.await("the CLI opened the login page").atMost(COMMAND_TIMEOUT)
          .until(() -> !Files.readString(urls).isBlank() || !login.isAlive());
      assertThat(Files.readString(urls)).as("the login page's address (%s)", login).isNotBlank();
      URI page = URI.create(Files.readString(urls).strip());
      int callback;
      try {
        callback = new LoginPageBrowser(trusting(demoDir.resolve("idp-ca.crt")))
            .signIn(page, Demo.ALICE.username(), Demo.ALICE.password(), Demo.ALICE.oneTimeCode());
      } catch (IllegalStateException e) {
        throw new AssertionError("signing in at " + page + " failed: " + e.getMessage() + "; the CLI: " + login, e);
      }
      assertThat(callback).isEqualTo(200);
      assertThat(login.awaitExit(COMMAND_TIMEOUT)).as("%s", login).isZero();
      assertThat(login.stderr()).contains("Logged in to https://127.0.0.1:" + gatewayPort + " as " + Demo.ALICE.username());
    }
  }

  private static SSLContext trusting(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  private void watchSeesTheNewPod(String watch, String run) {
    String pod = run.split("\\s+")[2];
    try (ShellProcess watching = shell(watch)) {
      String created = succeeds(run);
      assertThat(created).contains("pod/" + pod + " created");
      watching.awaitStdout(s -> s.lines().anyMatch(line -> line.startsWith(pod + " ")), COMMAND_TIMEOUT);
      assertThat(watching.isAlive()).as("the watch keeps running").isTrue();
    }
  }

  private void logsKeepComing(String command) {
    try (ShellProcess logs = shell(command)) {
      logs.awaitStdout(s -> s.lines().count() >= 1, COMMAND_TIMEOUT);
      long first = logs.stdout().lines().count();
      logs.awaitStdout(s -> s.lines().count() > first, COMMAND_TIMEOUT);
      assertThat(logs.isAlive()).as("logs -f keeps following").isTrue();
    }
  }

  private void interactiveShellRunsACommand(String command) {
    try (ShellProcess sh = shell(command)) {
      sh.writeStdin("echo demo-shell-works\n");
      sh.awaitStdout(s -> s.contains("demo-shell-works"), COMMAND_TIMEOUT);
      sh.writeStdin("exit\n");
      sh.closeStdin();
      assertThat(sh.awaitExit(COMMAND_TIMEOUT)).as("%s", sh).isZero();
    }
  }

  private void portForwardAnswersCurl(String forward, String curl) throws IOException {
    // 8080 may be taken on this machine; the test uses a free port in both commands.
    int localPort = freePort();
    String printedPort = String.valueOf(DemoBanner.LOCAL_FORWARD_PORT);
    String pod = forward.replaceAll(".* pod/(\\S+) .*", "$1");
    try (ShellProcess forwarding = shell(forward.replace(" " + printedPort + ":", " " + localPort + ":"))) {
      forwarding.awaitStdout(s -> s.contains("Forwarding from"), COMMAND_TIMEOUT);
      String answer = succeeds(curl.replace(":" + printedPort, ":" + localPort));
      assertThat(answer).contains("hello from " + pod);
    }
  }

  private String succeeds(String command) {
    try (ShellProcess process = shell(command)) {
      process.closeStdin();
      int code = process.awaitExit(COMMAND_TIMEOUT);
      assertThat(code).as("exit code of %s", process).isZero();
      return process.stdout();
    }
  }

  private ShellProcess shell(String command) {
    // As a person would: the export line from the banner first, then the command.
    String run = command.startsWith("./kgate ") ? kgate.apply(command) : command;
    return ShellProcess.start(exportLine + "\n" + run, Map.of("HOME", home.toString()), workDir);
  }

  private static Matcher match(String regex, String command) {
    Matcher m = Pattern.compile(regex).matcher(command);
    return m.matches() ? m : null;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
