package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exec plugin as its own JVM, the way kubectl runs it. kubectl calls are separate processes
 * and a file lock is per process: the first test runs the plugin
 * (the lean entry point) in several JVMs at once against an expired token.
 */
class PluginProcessTest {

  static final int PROCESSES = 4;

  @TempDir static Path shared;
  static LoginFixture fixture;

  @TempDir Path cacheDir;

  @BeforeAll
  static void startIdp() throws Exception {
    fixture = new LoginFixture(shared);
  }

  @AfterAll
  static void stopIdp() {
    fixture.close();
  }

  @Test
  void parallel_plugin_processes_with_an_expired_token_refresh_once_and_all_print_the_new_token() throws Exception {
    TokenSet loggedIn = fixture.login(cacheDir);
    new TokenCache(cacheDir, fixture.issuer, "kgate").write(new TokenSet(loggedIn.issuer(), loggedIn.clientId(),
        loggedIn.accessToken(), loggedIn.idToken(), loggedIn.refreshToken(),
        Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS)));
    fixture.requests();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    for (int i = 0; i < PROCESSES; i++) {
      List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
          CredentialMain.class.getName()));
      command.addAll(List.of(LoginFixture.args(fixture, cacheDir)));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().remove(CredentialCommand.EXEC_INFO);
      processes.add(builder.start());
    }
    List<String> tokens = new ArrayList<>();
    for (Process process : processes) {
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("plugin finished").isTrue();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.exitValue()).as(err).isZero();
      tokens.add(String.valueOf(Json.parseObject(out.trim()).get("status")));
    }

    assertThat(fixture.requests().stream().filter(LoginFixture.Seen::isTokenRequest))
        .as("one refresh for %d processes", PROCESSES).hasSize(1);
    String refreshed = TokenSet.fromJson(LoginFixture.readCache(cacheDir, fixture.issuer)).accessToken();
    assertThat(tokens).as("every process printed the refreshed token").allSatisfy(t -> assertThat(t).contains(refreshed));
  }

  @Test
  void without_cache_dir_the_plugin_reads_the_cache_under_HOME() throws Exception {
    Path home = cacheDir.resolve("home");
    String issuer = "https://127.0.0.1:1/nowhere";
    Instant expiry = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
    new TokenCache(home.resolve(".kube/cache/kgate"), issuer, "kgate")
        .write(new TokenSet(issuer, "kgate", "home.cached.token", null, null, expiry));

    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CredentialMain.class.getName(), "--issuer", issuer);
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.exitValue()).as(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    assertThat(out).contains("\"token\":\"home.cached.token\"");
  }
}
