package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.sim.pki.KeyFormat;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cert-manager renews the listener certificate in place: new connections get the new certificate
 * within a reload interval, while a watch opened before the swap keeps receiving events; a file
 * that does not parse is refused and the certificate in force stays.
 */
class CertificateReloadTest {

  @TempDir Path dir;
  GatewayWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private BigInteger servedSerial() throws Exception {
    try (SSLSocket socket = (SSLSocket) world.pki.jdkClientContext(null).getSocketFactory()
        .createSocket("127.0.0.1", world.gateway.port())) {
      socket.startHandshake();
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
  }

  @Test
  void aSwappedCertificateIsServedToNewConnectionsWhileAnOpenWatchContinues() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    String token = world.tokenFor("alice@example.com", List.of("sre"));
    HttpClient client = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
    BigInteger before = servedSerial();

    HttpResponse<InputStream> watch = client.send(HttpRequest.newBuilder(
            URI.create(world.url("alpha", "/api/v1/namespaces/payments/pods?watch=true")))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(watch.statusCode()).isEqualTo(200);
    BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8));
    assertThat(events.readLine()).contains("\"ADDED\"");

    world.pki.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"))
        .writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.PKCS8);
    await().atMost(Duration.ofSeconds(15)).until(() -> !servedSerial().equals(before));

    // The watch opened under the old certificate still carries events.
    HttpClient another = HttpClient.newBuilder().sslContext(world.pki.jdkClientContext(null)).build();
    HttpResponse<String> created = another.send(HttpRequest.newBuilder(
            URI.create(world.url("alpha", "/api/v1/namespaces/payments/pods")))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"after-the-swap","namespace":"payments"},
             "spec":{"containers":[{"name":"app","image":"nginx"}]}}"""))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = events.readLine()) != null; ) {
          if (line.contains("after-the-swap")) {
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(seen.get(15, TimeUnit.SECONDS)).as("the old watch saw the new pod").isTrue();
    watch.body().close();
  }

  @Test
  void aCertificateFileThatDoesNotParseIsRefusedAndTheOldOneStays() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    BigInteger before = servedSerial();

    Files.writeString(dir.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
    Thread.sleep(3_000); // longer than the reload interval: the gateway has read the broken file

    assertThat(servedSerial()).isEqualTo(before);
  }
}
