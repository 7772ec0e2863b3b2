package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.server.GatewayServer;
import dev.kgate.sim.cluster.SimCluster;
import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.junit.LeakDetectionExtension;
import dev.kgate.sim.keycloak.KeycloakLogin;
import dev.kgate.sim.keycloak.KeycloakServer;
import dev.kgate.sim.keycloak.Totp;
import dev.kgate.sim.kubectl.Kubectl;
import dev.kgate.sim.kubectl.KubectlResult;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole login story with real parts: Keycloak 26.7.3 as the IdP, the gateway in front of two
 * simulated clusters, the real kubectl running the {@code kgate credential} plugin (its own JVM,
 * the lean entry point) from a kubeconfig written by {@code kgate kubeconfig}. The test plays the
 * person's browser: it follows the authorization URL the CLI opens, posts Keycloak's login and OTP
 * forms, and lets Keycloak's redirect reach the CLI's loopback listener.
 *
 * <p>bob ({@code sre}, password and TOTP) may read everything and exec in {@code payments} only
 * with {@code acr: mfa}, which Keycloak gives only when asked with {@code acr_values=mfa}.
 */
@Tag("keycloak")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(LeakDetectionExtension.class)
class KubectlKeycloakLoginTest {

  private static final String PROD = "prod-eu";
  private static final String STAGING = "staging";
  private static final String USER = "bob";
  private static final String PASSWORD = "bob-pw";
  private static final Pattern DEVICE_URL = Pattern.compile("\\(or open (\\S+)\\)");

  private static final String POLICY = """
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: [payments], mfa: { required: true, acr: mfa } }
      """;

  @TempDir static Path dir;

  private KeycloakServer keycloak;
  private KeycloakLogin keycloakBrowser;
  private Totp totp;
  private final List<SimCluster> clusters = new ArrayList<>();
  private GatewayServer gateway;
  private String gatewayUrl;
  private Path gatewayCa;
  private Path plugin;
  private final ExecutorService browsers = Executors.newCachedThreadPool();

  @BeforeAll
  void start() throws Exception {
    keycloak = KeycloakServer.start(Path.of("target", "keycloak"));
    keycloakBrowser = new KeycloakLogin(keycloak.issuer(), KeycloakServer.CLIENT_ID);
    totp = new Totp(KeycloakServer.BOB_TOTP_SECRET, Clock.systemUTC());

    Path setup = Files.createDirectories(dir.resolve("gateway"));
    TestPki pki = TestPki.create("kgate login e2e CA");
    IssuedCertificate serving = pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    serving.writePem(setup.resolve("tls.crt"), setup.resolve("tls.key"), KeyFormat.PKCS8);
    gatewayCa = dir.resolve("gateway-ca.crt");
    Files.writeString(gatewayCa, pki.caCertificatePem());
    StringBuilder clusterYaml = new StringBuilder();
    for (String name : List.of(PROD, STAGING)) {
      SimCluster cluster = SimCluster.start(name);
      clusters.add(cluster);
      cluster.writeCaPem(setup.resolve(name + "-ca.crt"));
      Files.writeString(setup.resolve(name + ".token"), cluster.gatewayToken());
      clusterYaml.append("  - { name: ").append(name).append(", server: \"").append(cluster.url())
          .append("\", ca: ").append(name).append("-ca.crt, credentials: { tokenFile: ").append(name).append(".token } }\n");
    }
    Files.writeString(setup.resolve("policy.yaml"), POLICY);
    Files.writeString(setup.resolve("gateway.yaml"), """
        listen: { address: 127.0.0.1, port: 0, tls: { cert: tls.crt, key: tls.key } }
        oidc:
          issuers:
            - url: "%s"
              audiences: [%s]
              clientId: %s
              claims: { username: preferred_username, usernamePrefix: "", groups: groups, groupsPrefix: "" }
        clusters:
        %s
        audit: { dir: audit }
        policy: policy.yaml
        """.formatted(keycloak.issuer(), KeycloakServer.AUDIENCE, KeycloakServer.CLIENT_ID, clusterYaml));
    gateway = GatewayServer.start(ConfigLoader.load(setup.resolve("gateway.yaml")));
    gatewayUrl = "https://127.0.0.1:" + gateway.port();

    // What kgate kubeconfig names as the plugin: the lean entry point in its own JVM, as ./kgate runs it.
    plugin = dir.resolve("kgate-plugin");
    Files.writeString(plugin, "#!/bin/sh\n[ \"$1\" = credential ] && shift\nexec '"
        + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + System.getProperty("java.class.path")
        + "' " + CredentialMain.class.getName() + " \"$@\"\n");
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
  }

  @AfterAll
  void stop() {
    browsers.shutdownNow();
    if (gateway != null) {
      gateway.close();
    }
    clusters.forEach(SimCluster::close);
    if (keycloak != null) {
      keycloak.close();
    }
  }

  @Test
  void browser_login_by_gateway_address_then_kubectl_on_two_clusters_without_another_login() throws Exception {
    Path cache = dir.resolve("browser-cache");
    AtomicInteger opened = new AtomicInteger();
    List<Future<Integer>> callbacks = new ArrayList<>();
    LoginEnvironment environment = environment(Map.of(), uri -> {
      opened.incrementAndGet();
      callbacks.add(browsers.submit(() -> keycloakBrowser.completeInBrowser(uri, USER, PASSWORD, totp)));
      return true;
    });

    Run login = run(new LoginCommand(environment), gatewayUrl, "--gateway-ca", gatewayCa.toString(),
        "--cache-dir", cache.toString());
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(login.err()).contains("Logged in to " + gatewayUrl + " as " + USER);
    assertThat(callbacks.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(200);

    // A kubeconfig someone already uses: its entries must survive the merge untouched.
    Path kubeconfig = dir.resolve("browser-kubeconfig");
    String theirs = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: other
          cluster: { server: "https://other.example.com" }
        contexts:
        - name: other
          context: { cluster: other, user: other-user }
        current-context: other
        users:
        - name: other-user
          user: { token: not-ours }
        """;
    Files.writeString(kubeconfig, theirs);
    Run merged = run(new KubeconfigCommand(environment), "--gateway", gatewayUrl, "--gateway-ca", gatewayCa.toString(),
        "--cache-dir", cache.toString(), "--merge", "--kubeconfig", kubeconfig.toString(), "--command", plugin.toString());
    assertThat(merged.exit()).as(merged.err()).isZero();
    assertThat(merged.err()).contains("Merged contexts " + PROD + ", " + STAGING);
    try (var listing = Files.list(dir)) {
      Path backup = listing.filter(p -> p.getFileName().toString().startsWith("browser-kubeconfig.kgate-backup-"))
          .findFirst().orElseThrow();
      assertThat(Files.readString(backup)).isEqualTo(theirs);
    }

    Kubectl kubectl = kubectl(kubeconfig);
    KubectlResult contexts = kubectl.run("config", "get-contexts", "-o", "name");
    assertThat(contexts.stdout().lines().toList()).containsExactlyInAnyOrder("other", PROD, STAGING);
    assertThat(kubectl.run("config", "current-context").stdout().strip()).isEqualTo("other");
    assertThat(kubectl.run("config", "view", "--raw", "-o", "jsonpath={.users[?(@.name==\"other-user\")].user.token}")
        .stdout().strip()).isEqualTo("not-ours");

    for (String cluster : List.of(PROD, STAGING)) {
      KubectlResult pods = kubectl.run("--context", cluster, "get", "pods", "-n", "payments");
      assertThat(pods.succeeded()).as(pods.describe()).isTrue();
      assertThat(pods.stdout()).contains(SimSeed.SINGLE_CONTAINER_POD);
    }
    assertThat(opened).as("kubectl used the cached login, it did not start another").hasValue(1);

    Run whoami = run(new WhoamiCommand(environment), "--gateway", gatewayUrl, "--gateway-ca", gatewayCa.toString(),
        "--issuer", keycloak.issuer().toString(), "--client-id", KeycloakServer.CLIENT_ID, "--cache-dir", cache.toString());
    assertThat(whoami.out()).contains("preferred_username: bob");
    assertThat(whoami.out().lines().filter(line -> line.startsWith("clusters:")).map(String::strip))
        .containsExactly("clusters:          " + PROD + " (sre), " + STAGING + " (sre)");
  }

  @Test
  void device_login_then_kubectl_on_two_clusters() throws Exception {
    Path cache = dir.resolve("device-cache");
    LoginEnvironment environment = environment(Map.of(), uri -> {
      throw new AssertionError("the device flow opens no browser");
    });
    StringWriter prompts = new StringWriter();
    CommandLine commandLine = new CommandLine(new LoginCommand(environment));
    commandLine.setErr(new PrintWriter(prompts, true));
    CompletableFuture<Integer> login = CompletableFuture.supplyAsync(() -> commandLine.execute(gatewayUrl,
        "--gateway-ca", gatewayCa.toString(), "--cache-dir", cache.toString(), "--device"), browsers);

    String verification = await().atMost(Duration.ofSeconds(30)).until(() -> {
      Matcher matcher = DEVICE_URL.matcher(prompts.toString());
      return matcher.find() ? matcher.group(1) : null;
    }, url -> url != null);
    String approved = keycloakBrowser.approveDevice(URI.create(verification), USER, PASSWORD, totp);
    assertThat(login.completeOnTimeout(-1, 60, TimeUnit.SECONDS).get()).as(prompts + "\n" + approved).isZero();

    Path kubeconfig = dir.resolve("device-kubeconfig");
    Run written = run(new KubeconfigCommand(environment), "--gateway", gatewayUrl, "--gateway-ca", gatewayCa.toString(),
        "--cache-dir", cache.toString(), "--out", kubeconfig.toString(), "--command", plugin.toString());
    assertThat(written.exit()).as(written.err()).isZero();
    for (String cluster : List.of(PROD, STAGING)) {
      KubectlResult pods = kubectl(kubeconfig).run("--context", cluster, "get", "pods", "-n", "payments");
      assertThat(pods.succeeded()).as(pods.describe()).isTrue();
      assertThat(pods.stdout()).contains(SimSeed.SINGLE_CONTAINER_POD);
    }
  }

  @Test
  void ten_parallel_kubectl_calls_with_an_empty_cache_log_in_once() throws Exception {
    Path cache = dir.resolve("parallel-cache");
    Path kubeconfig = kubeconfigWithLogin(cache, "parallel");
    Files.delete(new TokenCache(cache, gatewayUrl, keycloak.issuer().toString(), KeycloakServer.CLIENT_ID).file());

    // $BROWSER as a person's machine has it: a command the plugin runs with the URL.
    Path urls = dir.resolve("parallel-urls");
    Files.createFile(urls);
    Path browser = dir.resolve("browser");
    Files.writeString(browser, "#!/bin/sh\necho \"$1\" >> '" + urls + "'\n");
    Files.setPosixFilePermissions(browser, PosixFilePermissions.fromString("rwx------"));
    AtomicInteger played = new AtomicInteger();
    Future<?> person = browsers.submit(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        List<String> seen = Files.readAllLines(urls);
        while (played.get() < seen.size()) {
          keycloakBrowser.completeInBrowser(URI.create(seen.get(played.getAndIncrement()).strip()), USER, PASSWORD, totp);
        }
        Thread.sleep(100);
      }
      return null;
    });

    // kubectl lets the plugin log in only when a person is at a terminal: give each call one (script(1)).
    List<Process> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String cluster = i % 2 == 0 ? PROD : STAGING;
      ProcessBuilder call = new ProcessBuilder("script", "-qec",
          "kubectl --kubeconfig '" + kubeconfig + "' --context " + cluster + " get pods -n payments", "/dev/null");
      call.environment().put("BROWSER", browser.toString());
      call.environment().put("HOME", dir.toString());
      call.redirectErrorStream(true);
      calls.add(call.start());
    }
    for (Process call : calls) {
      call.getOutputStream().close();
      String output = new String(call.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(call.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(call.exitValue()).as(output).isZero();
      assertThat(output).contains(SimSeed.SINGLE_CONTAINER_POD);
    }
    person.cancel(true);
    assertThat(Files.readAllLines(urls)).as("browser logins started by ten kubectl calls").hasSize(1);
  }

  @Test
  void an_expired_token_is_refreshed_without_a_prompt_and_a_failed_refresh_says_what_to_run() throws Exception {
    Path cache = dir.resolve("refresh-cache");
    Path kubeconfig = kubeconfigWithLogin(cache, "refresh");
    TokenCache entry = new TokenCache(cache, gatewayUrl, keycloak.issuer().toString(), KeycloakServer.CLIENT_ID);
    TokenSet before = entry.read().orElseThrow();
    entry.write(expired(before, before.refreshToken()));

    // No terminal and no browser here: a prompt would fail the call.
    KubectlResult refreshed = kubectl(kubeconfig).run("--context", PROD, "get", "pods", "-n", "payments");
    assertThat(refreshed.succeeded()).as(refreshed.describe()).isTrue();
    TokenSet after = entry.read().orElseThrow();
    assertThat(after.accessToken()).isNotEqualTo(before.accessToken());
    assertThat(after.expiresAt()).isAfter(Instant.now());

    entry.write(expired(after, "not-a-refresh-token-keycloak-issued"));
    KubectlResult refused = kubectl(kubeconfig).run("--context", PROD, "get", "pods", "-n", "payments");
    assertThat(refused.succeeded()).isFalse();
    // kubectl runs the plugin again for its next request: each run says the same one line.
    List<String> ours = refused.stderr().lines().filter(line -> line.startsWith("kgate:")).distinct().toList();
    assertThat(ours).hasSize(1);
    assertThat(ours.get(0)).contains("run: kgate login " + gatewayUrl + " --gateway-ca " + gatewayCa);
    assertThat(refused.stderr()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void an_exec_that_needs_fresh_mfa_names_the_command_and_succeeds_after_it() throws Exception {
    Path cache = dir.resolve("stepup-cache");
    Path kubeconfig = kubeconfigWithLogin(cache, "stepup");
    String[] exec = {"--context", PROD, "exec", "-i", "-n", "payments", SimSeed.SINGLE_CONTAINER_POD, "--", "cat"};

    KubectlResult refused = kubectl(kubeconfig).runWithInput("hello\n", exec);
    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.stderr()).contains("run \"kgate login --mfa --acr mfa\", then try again");

    // The command exactly as printed: no gateway named, so it logs in for the current context's gateway.
    AtomicInteger opened = new AtomicInteger();
    List<Future<Integer>> callbacks = new ArrayList<>();
    LoginEnvironment environment = environment(Map.of("KUBECONFIG", kubeconfig.toString()), uri -> {
      opened.incrementAndGet();
      assertThat(uri.getQuery()).contains("acr_values=mfa").contains("prompt=login");
      callbacks.add(browsers.submit(() -> keycloakBrowser.completeInBrowser(uri, USER, PASSWORD, totp)));
      return true;
    });
    Run stepUp = run(new LoginCommand(environment), "--mfa", "--acr", "mfa");
    assertThat(stepUp.exit()).as(stepUp.err()).isZero();
    assertThat(opened).hasValue(1);
    assertThat(callbacks.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(200);

    KubectlResult allowed = kubectl(kubeconfig).runWithInput("hello\n", exec);
    assertThat(allowed.succeeded()).as(allowed.describe()).isTrue();
    assertThat(allowed.stdout()).isEqualTo("hello\n");
  }

  /** Logs bob in through the browser and writes a kubeconfig (current context prod-eu) for the cache. */
  private Path kubeconfigWithLogin(Path cache, String name) throws Exception {
    List<Future<Integer>> callbacks = new ArrayList<>();
    LoginEnvironment environment = environment(Map.of(), uri -> {
      callbacks.add(browsers.submit(() -> keycloakBrowser.completeInBrowser(uri, USER, PASSWORD, totp)));
      return true;
    });
    Run login = run(new LoginCommand(environment), gatewayUrl, "--gateway-ca", gatewayCa.toString(),
        "--cache-dir", cache.toString());
    assertThat(login.exit()).as(login.err()).isZero();
    assertThat(callbacks.get(0).get(30, TimeUnit.SECONDS)).isEqualTo(200);
    Path kubeconfig = dir.resolve(name + "-kubeconfig");
    Run written = run(new KubeconfigCommand(environment), "--gateway", gatewayUrl, "--gateway-ca", gatewayCa.toString(),
        "--cache-dir", cache.toString(), "--out", kubeconfig.toString(), "--command", plugin.toString());
    assertThat(written.exit()).as(written.err()).isZero();
    return kubeconfig;
  }

  private static TokenSet expired(TokenSet tokens, String refreshToken) {
    return new TokenSet(tokens.issuer(), tokens.clientId(), tokens.accessToken(), tokens.idToken(), refreshToken,
        Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS));
  }

  private Kubectl kubectl(Path kubeconfig) throws IOException {
    return Kubectl.builder().kubeconfig(kubeconfig).home(Files.createDirectories(dir.resolve("home")))
        .timeout(Duration.ofSeconds(90)).build();
  }

  private static LoginEnvironment environment(Map<String, String> variables, BrowserOpener browser) {
    return new LoginEnvironment(Clock.systemUTC(), browser, duration -> Thread.sleep(duration.toMillis()),
        variables::get, () -> true);
  }

  private record Run(int exit, String out, String err) {}

  private static Run run(Object command, String... args) {
    LoginFixture.Run run = LoginFixture.run(command, args);
    return new Run(run.exitCode(), run.out(), run.err());
  }
}
