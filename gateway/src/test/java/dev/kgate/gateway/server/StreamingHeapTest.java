package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 200 MB response and a 20 MB request body stream through a gateway whose JVM has a 128 MB heap.
 * A gateway that aggregated either would die of OutOfMemoryError and the transfer would break;
 * the child also reports its heap so the bound is visible in the test output.
 */
class StreamingHeapTest {

  static final long DOWNLOAD = 200L * 1024 * 1024;
  static final int UPLOAD = 20 * 1024 * 1024;

  @TempDir static Path dir;
  static GatewayWorld world;
  static Process gateway;
  static int port;
  static final AtomicLong maxHeapUsed = new AtomicLong();
  static final AtomicLong heapMax = new AtomicLong();

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    String yaml = world.configYaml("audit", "", "alpha");
    Path config = dir.resolve("child.yaml");
    Files.writeString(config, yaml);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    gateway = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC",
        "-Dio.netty.leakDetection.level=disabled", "-cp", System.getProperty("java.class.path"),
        BoundedHeapGatewayMain.class.getName(), config.toString())
        .redirectError(dir.resolve("child.err").toFile())
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            ready.complete(Integer.parseInt(line.substring(6).trim()));
          } else if (line.startsWith("HEAP ")) {
            String[] f = line.split(" ");
            maxHeapUsed.accumulateAndGet(Long.parseLong(f[1]), Math::max);
            heapMax.set(Long.parseLong(f[2]));
          }
        }
      } catch (Exception ignored) {
        // the child went away
      }
      ready.complete(-1);
    }, "child-heap-reader");
    reader.setDaemon(true);
    reader.start();
    port = ready.get(60, TimeUnit.SECONDS);
    if (port < 0) {
      throw new AssertionError("the child gateway did not start:\n" + Files.readString(dir.resolve("child.err")));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (gateway != null) {
      gateway.getOutputStream().close();
      if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
    if (world != null) {
      world.close();
    }
  }

  private static HttpClient client(HttpClient.Version v) {
    return HttpClient.newBuilder().version(v).sslContext(world.pki.jdkClientContext(null)).build();
  }

  private static URI uri(String path) {
    return URI.create("https://127.0.0.1:" + port + "/clusters/alpha" + path);
  }

  @Test
  void twoHundredMegabytesStreamThroughA128MegabyteHeapOverBothProtocols() throws Exception {
    String token = world.tokenFor("alice@example.com", List.of("sre"));
    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpResponse<InputStream> response = client(version).send(HttpRequest.newBuilder(uri("/sim/bytes?size=" + DOWNLOAD))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofInputStream());
      long received = 0;
      try (InputStream in = response.body()) {
        byte[] buf = new byte[256 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
          received += n;
        }
      }
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(received).as("all bytes over %s", version).isEqualTo(DOWNLOAD);
    }
    assertThat(gateway.isAlive()).as("the 128 MB gateway survived").isTrue();
    assertThat(heapMax.get()).as("the child really runs with a small heap").isLessThanOrEqualTo(130L * 1024 * 1024);
    assertThat(maxHeapUsed.get()).as("heap used stayed below the limit").isLessThan(heapMax.get());
    System.out.printf("streamed %d MB twice; child heap max used %d MB of %d MB%n", DOWNLOAD >> 20,
        maxHeapUsed.get() >> 20, heapMax.get() >> 20);
  }

  @Test
  void twentyMegabyteUploadStreamsThrough() throws Exception {
    String token = world.tokenFor("alice@example.com", List.of("sre"));
    byte[] body = new byte[UPLOAD];
    new java.util.Random(7).nextBytes(body);
    for (HttpClient.Version version : HttpClient.Version.values()) {
      HttpResponse<String> response = client(version).send(HttpRequest.newBuilder(uri("/sim/sink"))
              .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2))
              .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      assertThat(response.body()).contains("\"bytes\":" + UPLOAD)
          .contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }
    assertThat(gateway.isAlive()).isTrue();
  }
}
