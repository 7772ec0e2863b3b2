package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.gateway.config.ConfigLoader;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's configuration file changes while it runs: added clusters serve at once, removed
 * ones are refused, a broken edit changes nothing, and a watch on an unchanged cluster carries on.
 */
class ClusterReloadTest {

  @TempDir Path dir;
  GatewayWorld world;
  GatewayServer gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (world != null) {
      world.close();
    }
  }

  private String yaml(String... clusters) {
    StringBuilder y = new StringBuilder("""
        listen: { address: 127.0.0.1, port: 0, tls: { cert: tls.crt, key: tls.key } }
        oidc:
          issuers:
            - url: %s
              audiences: [kubernetes]
              clientId: kgate
              ca: idp-ca.crt
              claims: { username: email, groups: groups }
        audit: { dir: reload-audit }
        clusters:
        """.formatted(world.idp.issuer()));
    for (String name : clusters) {
      // "gamma" is broken on purpose: its CA file does not exist.
      boolean broken = name.equals("gamma");
      String real = broken ? "alpha" : name;
      y.append("  - { name: ").append(name).append(", server: \"").append(world.cluster(real).url())
          .append("\", ca: ").append(broken ? "missing-ca.crt" : real + "-ca.crt")
          .append(", credentials: { tokenFile: ").append(real).append(".token } }\n");
    }
    return y.toString();
  }

  private HttpResponse<String> get(String cluster, String token) throws Exception {
    return HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build().send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + "/clusters/" + cluster + "/api/v1/pods"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void clustersFollowTheConfigurationFileWithoutDroppingConnections() throws Exception {
    world = GatewayWorld.start(dir, "alpha", "beta");
    String token = world.tokenFor("alice@example.com", List.of("sre"));
    Path file = dir.resolve("gateway.yaml");
    Files.writeString(file, yaml("alpha"));
    gateway = GatewayServer.builder(ConfigLoader.load(file)).configFile(file).start();
    assertThat(get("beta", token).statusCode()).isEqualTo(403);

    HttpClient watcher = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
    HttpResponse<InputStream> watch = watcher.send(HttpRequest.newBuilder(URI.create(
            "https://127.0.0.1:" + gateway.port() + "/clusters/alpha/api/v1/namespaces/payments/pods?watch=true"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8));
    assertThat(events.readLine()).contains("ADDED");

    Files.writeString(file, yaml("alpha", "beta"));
    await().atMost(Duration.ofSeconds(15)).until(() -> get("beta", token).statusCode() == 200);

    Files.writeString(file, yaml("alpha", "beta", "gamma"));
    gateway.reloadNow();
    assertThat(get("beta", token).statusCode()).as("a broken edit keeps the clusters in force").isEqualTo(200);

    // The watch on alpha, which every edit kept, still carries events.
    HttpResponse<String> created = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build().send(
        HttpRequest.newBuilder(URI.create(
                "https://127.0.0.1:" + gateway.port() + "/clusters/alpha/api/v1/namespaces/payments/pods"))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"after-reload","namespace":"payments"},
                 "spec":{"containers":[{"name":"app","image":"nginx"}]}}""")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = events.readLine()) != null; ) {
          if (line.contains("after-reload")) {
            return true;
          }
        }
      } catch (Exception e) {
        return false;
      }
      return false;
    });
    assertThat(seen.get(15, TimeUnit.SECONDS)).isTrue();
    watch.body().close();

    Files.writeString(file, yaml("beta"));
    gateway.reloadNow();
    assertThat(get("alpha", token).statusCode()).as("a removed cluster is refused").isEqualTo(403);
    assertThat(get("beta", token).statusCode()).isEqualTo(200);
  }
}
