package dev.kgate.sim.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak {@value KeycloakDistribution#VERSION} for end-to-end tests: unpacked from the
 * Maven-resolved distribution, started in dev mode on free loopback ports with a Java 21+ found on
 * this machine, with the {@value #REALM} realm imported from {@code keycloak/realm-gw.json} on the
 * class path (users {@code alice}/{@code alice-pw}, password only, and {@code bob}/{@code bob-pw}
 * with TOTP secret {@value #BOB_TOTP_SECRET}; public client {@value #CLIENT_ID}). {@link #start}
 * returns once OIDC discovery answers; {@link #close} stops the server and its JVM.
 *
 * <p>Every start begins with an empty database, so tests never see a previous run's sessions.
 * Output goes to {@code keycloak.log} in the work folder, named in every failure.
 */
public final class KeycloakServer implements AutoCloseable {

  public static final String REALM = "gw";
  public static final String CLIENT_ID = "kubectl";
  public static final String AUDIENCE = "kubernetes";
  public static final String BOB_TOTP_SECRET = "12345678901234567890";
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(4);

  private static final String REALM_RESOURCE = "/keycloak/realm-gw.json";
  private static final int MIN_JAVA = 21;
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final Process process;
  private final URI baseUrl;
  private final Path log;
  private final Thread shutdownHook;

  private KeycloakServer(Process process, URI baseUrl, Path log) {
    this.process = process;
    this.baseUrl = baseUrl;
    this.log = log;
    // A test JVM that dies without close() must not leave a 0.5 GiB Keycloak behind.
    this.shutdownHook = new Thread(this::stop, "keycloak-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts Keycloak under {@code workDir} (e.g. {@code target/keycloak}) and waits until it serves. */
  public static KeycloakServer start(Path workDir) {
    return start(workDir, DEFAULT_STARTUP_TIMEOUT);
  }

  public static KeycloakServer start(Path workDir, Duration startupTimeout) {
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Path work = Objects.requireNonNull(workDir, "workDir").toAbsolutePath().normalize();
    Path zip = KeycloakDistribution.zip().orElseThrow(() -> new IllegalStateException(
        KeycloakDistribution.COORDINATES + " is not in the local Maven repository: "
            + KeycloakDistribution.howToGetIt()));
    Path javaHome = JavaRuntimes.atLeast(MIN_JAVA).orElseThrow(() -> new IllegalStateException(
        "Keycloak needs Java " + MIN_JAVA + "+ and none was found: set " + JavaRuntimes.JAVA_HOME_VARIABLE
            + " (or -D" + JavaRuntimes.JAVA_HOME_PROPERTY + ") to a JDK " + MIN_JAVA + " or newer"));
    Path home = KeycloakDistribution.unpack(zip, work);
    freshData(home);
    int httpPort = freePort();
    int managementPort = freePort();
    Path log = work.resolve("keycloak.log");
    Process process = launch(home, javaHome, httpPort, managementPort, log);
    KeycloakServer server = new KeycloakServer(process, URI.create("http://127.0.0.1:" + httpPort), log);
    try {
      server.awaitDiscovery(startupTimeout);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public URI baseUrl() {
    return baseUrl;
  }

  /** The realm's issuer, exactly as its tokens carry it in {@code iss}. */
  public URI issuer() {
    return URI.create(baseUrl + "/realms/" + REALM);
  }

  public Path log() {
    return log;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook is running or will run stop() itself.
    }
    stop();
  }

  private void stop() {
    // kc.sh forwards TERM to its java child; collect the tree first, as the child outlives the script.
    List<ProcessHandle> tree = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
    tree.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(STOP_GRACE);
    for (ProcessHandle handle : tree) {
      try {
        long waitMillis = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        handle.onExit().get(waitMillis, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
  }

  private void awaitDiscovery(Duration timeout) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Keycloak exited with status " + process.exitValue()
            + " before serving discovery; see " + log + ":\n" + tail());
      }
      try {
        HttpResponse<Void> answer = http.send(
            HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Keycloak", e);
      }
      sleep(Duration.ofMillis(500));
    }
    throw new IllegalStateException("Keycloak did not serve " + discovery + " within " + timeout + "; see "
        + log + ":\n" + tail());
  }

  private static Process launch(Path home, Path javaHome, int httpPort, int managementPort, Path log) {
    ProcessBuilder builder = new ProcessBuilder(
        "/bin/sh", home.resolve("bin/kc.sh").toString(),
        "start-dev", "--import-realm",
        // Loopback only: nothing else on the machine should reach the test IdP.
        "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort)
        .directory(home.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", javaHome.toString());
    env.remove("JAVA_OPTS");
    env.remove("JAVA");
    env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
    env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + home.resolve("bin/kc.sh"), e);
    }
  }

  /** An empty database and the realm file in {@code data/import}, for --import-realm. */
  private static void freshData(Path home) {
    Path data = home.resolve("data");
    try {
      if (Files.exists(data)) {
        try (Stream<Path> paths = Files.walk(data)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      Path imports = Files.createDirectories(data.resolve("import"));
      try (InputStream realm = KeycloakServer.class.getResourceAsStream(REALM_RESOURCE)) {
        if (realm == null) {
          throw new IllegalStateException(REALM_RESOURCE + " is missing from the class path");
        }
        Files.copy(realm, imports.resolve("realm-gw.json"), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + data, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Keycloak", e);
    }
  }
}
