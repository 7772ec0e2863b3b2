package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Stage;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway in a child JVM is killed with SIGKILL while clients hammer it over HTTP/1.1 and
 * HTTP/2 with allowed and refused requests, then started again on the same audit directory, a
 * few times over. The audit log must verify (torn last lines sealed, not failed), and every
 * response a client received must have its ResponseComplete event on disk. A gateway that
 * answered before its event was written would lose the events of its last answers; the
 * deterministic check that answers wait for durability is {@link AnswerAwaitsAuditRecordTest}.
 */
class AuditCrashRecoveryTest {

  static final int KILLS = 3;
  static final int CLIENT_THREADS = 16;
  static final int ANSWERS_PER_ROUND = 100;
  static final Duration MIN_ROUND = Duration.ofSeconds(1);
  static final Duration MAX_ROUND = Duration.ofSeconds(10);

  @TempDir static Path dir;
  static GatewayWorld world;
  static Path config;
  static Path auditDir;
  static final List<Process> children = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    auditDir = dir.resolve("crash-audit");
    config = dir.resolve("crash.yaml");
    Files.writeString(config, world.configYaml("crash-audit",
        "limits: { perUser: { requestsPerSecond: 100000, burst: 100000, concurrentRequests: 10000 } }\n", "alpha"));
  }

  @AfterAll
  static void stop() {
    children.forEach(Process::destroyForcibly);
    if (world != null) {
      world.close();
    }
  }

  @Test
  void everyResponseAClientReceivedHasItsEventAfterTheGatewayIsKilledUnderLoad() throws Exception {
    long began = System.nanoTime();
    String token = world.tokenFor("alice@example.com", List.of("sre"));
    Map<String, Integer> answered = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> byKind = new ConcurrentHashMap<>();
    List<String> withoutAuditId = new CopyOnWriteArrayList<>();
    Queue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger sequence = new AtomicInteger();
    for (int round = 1; round <= KILLS; round++) {
      // Each start after the first recovers what the kill before it left: torn lines get sealed.
      Child child = Child.start("round-" + round);
      AtomicBoolean killed = new AtomicBoolean();
      AtomicBoolean armed = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int t = 0; t < CLIENT_THREADS; t++) {
        HttpClient.Version version = t % 2 == 0 ? HttpClient.Version.HTTP_1_1 : HttpClient.Version.HTTP_2;
        HttpClient client = HttpClient.newBuilder().version(version).sslContext(world.pki.jdkClientContext(null)).build();
        Thread thread = new Thread(() -> {
          while (!killed.get()) {
            int k = sequence.getAndIncrement();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + child.port
                    + "/clusters/alpha/api/v1/namespaces/default/pods?n=" + k))
                .timeout(Duration.ofSeconds(10));
            String kind;
            if (k % 10 == 3) {
              kind = "impersonating";
              request.header("Authorization", "Bearer " + token).header("Impersonate-User", "admin");
            } else if (k % 10 == 7) {
              kind = "anonymous";
            } else {
              kind = "allowed";
              request.header("Authorization", "Bearer " + token);
            }
            long sent = System.nanoTime();
            HttpResponse<String> response;
            try {
              response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
              continue; // the kill cut it off; before the kill, "the load was real" below catches trouble
            }
            latencies.add(System.nanoTime() - sent);
            Optional<String> auditId = response.headers().firstValue("Audit-Id");
            if (auditId.isEmpty()) {
              withoutAuditId.add(response.statusCode() + " " + response.uri());
              continue;
            }
            answered.put(auditId.get(), response.statusCode());
            byKind.computeIfAbsent(kind + " " + version + " " + response.statusCode(), x -> new AtomicInteger())
                .incrementAndGet();
            if (armed.compareAndSet(true, false)) {
              // SIGKILL the instant an answer arrives: the worst moment for an event still in flight.
              child.process.destroyForcibly();
            }
          }
        }, "crash-client-" + t);
        thread.setDaemon(true);
        clients.add(thread);
      }
      clients.forEach(Thread::start);
      // Kill mid-load, once this round has had its share of answers (a loaded machine is slow).
      int before = answered.size();
      long deadline = System.nanoTime() + MAX_ROUND.toNanos();
      Thread.sleep(MIN_ROUND.toMillis());
      while (answered.size() - before < ANSWERS_PER_ROUND && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      armed.set(true); // no shutdown hook, no last fsync or checkpoint
      if (!child.process.waitFor(5, TimeUnit.SECONDS)) {
        child.process.destroyForcibly();
      }
      assertThat(child.process.waitFor(10, TimeUnit.SECONDS)).as("the gateway died").isTrue();
      killed.set(true);
      for (Thread thread : clients) {
        thread.join(TimeUnit.SECONDS.toMillis(15));
      }
    }
    // A kill seldom lands inside a write(), so leave what one would: half a line at a chain's end.
    Path newest;
    try (Stream<Path> files = Files.walk(auditDir.resolve("users"))) {
      newest = files.filter(f -> f.toString().endsWith(".jsonl"))
          .max(Comparator.comparing(f -> f.toFile().lastModified())).orElseThrow();
    }
    Files.writeString(newest, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Meta",
        StandardOpenOption.APPEND);
    Child.start("after-the-last-kill").stopGracefully();

    VerifyReport report = AuditVerifier.trustingKeyIn(auditDir).verify(auditDir, Optional.empty());
    Set<String> recorded = new HashSet<>();
    int events = 0;
    for (AuditEvent event : new AuditQuery(auditDir).find(AuditFilter.any())) {
      events++;
      if (event.stage() == Stage.ResponseComplete) {
        recorded.add(event.auditId());
      }
    }
    List<String> missing = answered.entrySet().stream().filter(e -> !recorded.contains(e.getKey()))
        .map(e -> e.getKey() + " (" + e.getValue() + ")").sorted().toList();
    long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("crash test: %d kills, %d responses received %s, %d events on disk, %d responses without"
            + " their event; client latency ms p50 %.1f p90 %.1f p99 %.1f; took %d ms%n%s", KILLS, answered.size(),
        byKind, events, missing.size(), sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6,
        sorted[sorted.length * 99 / 100] / 1e6, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
        report.describe());

    assertThat(answered.size()).as("the load was real").isGreaterThanOrEqualTo(ANSWERS_PER_ROUND * KILLS);
    assertThat(byKind.keySet()).as("both protocols, allowed and refused requests were answered")
        .anyMatch(k -> k.startsWith("allowed HTTP_1_1 200")).anyMatch(k -> k.startsWith("allowed HTTP_2 200"))
        .anyMatch(k -> k.startsWith("impersonating") && k.endsWith(" 403"))
        .anyMatch(k -> k.startsWith("anonymous") && k.endsWith(" 401"));
    assertThat(withoutAuditId).as("every answer carries its Audit-Id").isEmpty();
    assertThat(report.ok()).as("the audit log verifies after the crashes:%n%s", report.describe()).isTrue();
    assertThat(report.describe()).as("the torn line was sealed on restart, and the seal explained")
        .contains("sealed on restart");
    assertThat(missing).as("responses received whose ResponseComplete event is not on disk").isEmpty();
  }

  /** A gateway process on {@link #config}. */
  record Child(Process process, int port) {

    static Child start(String name) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          CrashableGatewayMain.class.getName(), config.toString())
          .redirectError(dir.resolve(name + ".err").toFile())
          .start();
      children.add(process);
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<Integer> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try {
          for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
              ready.complete(Integer.parseInt(line.substring(6).trim()));
            }
          }
        } catch (Exception ignored) {
          // the child went away
        }
        ready.complete(-1);
      }, "crash-child-" + name);
      reader.setDaemon(true);
      reader.start();
      int port = ready.get(60, TimeUnit.SECONDS);
      if (port < 0) {
        throw new AssertionError("the " + name + " gateway did not start:\n" + Files.readString(dir.resolve(name + ".err")));
      }
      return new Child(process, port);
    }

    void stopGracefully() throws Exception {
      process.getOutputStream().close();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the gateway stopped when asked").isTrue();
    }
  }
}
