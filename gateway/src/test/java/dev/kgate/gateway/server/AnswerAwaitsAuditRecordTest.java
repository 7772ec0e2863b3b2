package dev.kgate.gateway.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditLog;
import dev.kgate.audit.Durability;
import dev.kgate.audit.Stage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * No client holds an answer before its audit event is durable: against an audit log whose
 * appends complete only when the test says so, forwarded responses (small, Content-Length
 * streamed, chunked) and refusals do not reach the client until their event is "on disk"; when
 * the event is lost, a fail-closed gateway withholds the answer instead of sending it unrecorded.
 * The crash itself is {@link AuditCrashRecoveryTest}.
 */
class AnswerAwaitsAuditRecordTest {

  static final Duration HELD = Duration.ofMillis(400);

  @TempDir static Path dir;
  static GatewayWorld world;
  static GatewayServer gateway;
  static final GatedAuditLog audit = new GatedAuditLog();
  static String token;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayWorld.start(dir, "alpha");
    gateway = GatewayServer.builder(world.config).auditLog(audit).start();
    token = world.tokenFor("alice@example.com", List.of("sre"));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (world != null) {
      world.close();
    }
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void aForwardedAnswerWaitsUntilItsEventIsDurable(HttpClient.Version version) throws Exception {
    for (String path : List.of("/api/v1/namespaces/default/pods", "/sim/bytes?size=300000&chunked=false",
        "/sim/bytes?size=300000")) {
      CompletableFuture<HttpResponse<byte[]>> answer = send(version, path, "Authorization", "Bearer " + token);
      AuditEvent event = audit.awaitEvent(Stage.ResponseComplete);
      Thread.sleep(HELD.toMillis());
      assertThat(answer).as("%s over %s is not complete before its event is durable", path, version).isNotDone();
      audit.complete(event, new Durability.Written("alice@example.com", 1));
      HttpResponse<byte[]> response = answer.get(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.headers().firstValue("Audit-Id")).as("the answer is the recorded one").contains(event.auditId());
      if (path.startsWith("/sim/bytes")) {
        assertThat(response.body()).as("the whole body, held end included").hasSize(300000);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void aRefusalWaitsUntilItsEventIsDurable(HttpClient.Version version) throws Exception {
    CompletableFuture<HttpResponse<byte[]>> answer = send(version, "/api/v1/namespaces/default/pods",
        "Authorization", "Bearer " + token, "Impersonate-User", "admin");
    AuditEvent event = audit.awaitEvent(Stage.ResponseComplete);
    Thread.sleep(HELD.toMillis());
    assertThat(answer).as("the 403 waits for its event").isNotDone();
    audit.complete(event, new Durability.Written("alice@example.com", 1));
    HttpResponse<byte[]> response = answer.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("Audit-Id")).contains(event.auditId());
  }

  @ParameterizedTest
  @EnumSource(HttpClient.Version.class)
  void aForwardedAnswerWhoseEventIsLostIsWithheld(HttpClient.Version version) throws Exception {
    for (String path : List.of("/api/v1/namespaces/default/pods", "/sim/bytes?size=300000&chunked=false")) {
      CompletableFuture<HttpResponse<byte[]>> answer = send(version, path, "Authorization", "Bearer " + token);
      AuditEvent event = audit.awaitEvent(Stage.ResponseComplete);
      audit.complete(event, new Durability.NotWritten("disk full (test)"));
      assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
          .as("%s over %s: the client gets no complete answer nobody recorded", path, version)
          .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }
  }

  private static CompletableFuture<HttpResponse<byte[]>> send(HttpClient.Version version, String path,
      String... headers) {
    HttpClient client = HttpClient.newBuilder().version(version).sslContext(world.pki.jdkClientContext(null)).build();
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + gateway.port() + "/clusters/alpha" + path))
        .headers(headers).timeout(Duration.ofSeconds(20)).build();
    return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  /** An audit log whose appends complete when the test completes them. */
  static final class GatedAuditLog implements AuditLog {

    private final Map<AuditEvent, CompletableFuture<Durability>> pending = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Durability> append(AuditEvent event) {
      CompletableFuture<Durability> future = new CompletableFuture<>();
      pending.put(event, future);
      return future;
    }

    AuditEvent awaitEvent(Stage stage) throws InterruptedException {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < until) {
        for (AuditEvent event : pending.keySet()) {
          if (event.stage() == stage) {
            return event;
          }
        }
        Thread.sleep(10);
      }
      throw new AssertionError("no " + stage + " event was appended");
    }

    void complete(AuditEvent event, Durability outcome) {
      pending.remove(event).complete(outcome);
    }

    @Override
    public boolean writable() {
      return true;
    }

    @Override
    public void close() {
      pending.values().forEach(f -> f.complete(new Durability.NotWritten("closed")));
    }
  }
}
