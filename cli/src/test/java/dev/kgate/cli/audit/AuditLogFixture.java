package dev.kgate.cli.audit;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Durability;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.ResponseStatus;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.CheckpointKeys;
import dev.kgate.audit.store.StoreLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real audit log, written with {@link FileAuditLog}: ten events over two days, four users
 * (one of them unauthenticated), two clusters, allowed and refused requests. Each event has its
 * own RESOURCE cell in the table, so a test can name events by it. In time order:
 *
 * <pre>
 *  day one  alice  prod-eu  get    pods/web-1           allow
 *           alice  staging  get    pods/web-2           allow
 *           alice  prod-eu  create pods/pay-0/exec      deny
 *           alice  staging  list   deployments          allow
 *           bob    prod-eu  get    pods/web-3           allow
 *           bob    staging  delete deployments/api      deny
 *           anon   prod-eu  list   secrets              unauthenticated
 *  day three alice prod-eu  get    pods/web-4           allow
 *           bob    staging  create pods/db-0/exec       deny
 *           carol  staging  get    configmaps/settings  allow
 * </pre>
 *
 * Files: alice has 4 lines on day one and 1 on day three, bob 2 and 1, anonymous 1, carol 1.
 * Two checkpoints: one after day one, one when the log closes.
 */
final class AuditLogFixture {

  static final Instant DAY_ONE = Instant.parse("2025-03-01T10:00:00Z");
  static final Instant DAY_THREE = DAY_ONE.plus(Duration.ofDays(2));
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  static final String CAROL = "carol@example.com";
  static final String DAY_ONE_FILE = "2025-03-01.jsonl";
  static final String DAY_THREE_FILE = "2025-03-03.jsonl";

  /** Every RESOURCE cell, oldest first. */
  static final List<String> ALL = List.of("pods/web-1", "pods/web-2", "pods/pay-0/exec", "deployments",
      "pods/web-3", "deployments/api", "secrets", "pods/web-4", "pods/db-0/exec", "configmaps/settings");

  private AuditLogFixture() {}

  /** Writes the ten events into {@code dir}, checkpoints and closes the log; returns the checkpoint key id. */
  static String write(Path dir) throws Exception {
    TestClock clock = new TestClock(DAY_ONE);
    try (FileAuditLog log = FileAuditLog.open(options(dir, clock))) {
      appendAll(log,
          event(ALICE, "prod-eu", "get", "pods", "web-1", null, "default", AuditAnnotations.ALLOW, 200, DAY_ONE.plusSeconds(60)),
          event(ALICE, "staging", "get", "pods", "web-2", null, "default", AuditAnnotations.ALLOW, 200, DAY_ONE.plusSeconds(120)),
          event(ALICE, "prod-eu", "create", "pods", "pay-0", "exec", "payments", AuditAnnotations.DENY, 403, DAY_ONE.plusSeconds(180)),
          event(ALICE, "staging", "list", "deployments", null, null, "default", AuditAnnotations.ALLOW, 200, DAY_ONE.plusSeconds(240)),
          event(BOB, "prod-eu", "get", "pods", "web-3", null, "default", AuditAnnotations.ALLOW, 200, DAY_ONE.plusSeconds(300)),
          event(BOB, "staging", "delete", "deployments", "api", null, "default", AuditAnnotations.DENY, 403, DAY_ONE.plusSeconds(360)),
          anonymous(DAY_ONE.plusSeconds(420)));
      log.checkpoint().get(10, TimeUnit.SECONDS);
      clock.advance(Duration.ofDays(2));
      appendAll(log,
          event(ALICE, "prod-eu", "get", "pods", "web-4", null, "default", AuditAnnotations.ALLOW, 200, DAY_THREE.plusSeconds(60)),
          event(BOB, "staging", "create", "pods", "db-0", "exec", "data", AuditAnnotations.DENY, 403, DAY_THREE.plusSeconds(120)),
          event(CAROL, "staging", "get", "configmaps", "settings", null, "default", AuditAnnotations.ALLOW, 200, DAY_THREE.plusSeconds(180)));
      return CheckpointKeys.keyId(log.checkpointPublicKey());
    }
  }

  /** Options for a log in {@code dir} on {@code clock}: quick fsyncs, checkpoints only when asked and at close. */
  static FileAuditLog.Options options(Path dir, TestClock clock) {
    return FileAuditLog.Options.defaults(dir).withClock(clock).withFsyncInterval(Duration.ofMillis(5))
        .withCheckpointInterval(Duration.ofHours(1));
  }

  /** A user's chain file, relative to the audit directory, as verify names it. */
  static Path chainFile(String user, String name) {
    return Path.of(StoreLayout.USERS, ChainKey.dirName(user), name);
  }

  /** A request by {@code user} the gateway decided on; {@code name} and {@code subresource} may be null. */
  static AuditEvent event(String user, String cluster, String verb, String resource, String name,
      String subresource, String namespace, String decision, int code, Instant at) {
    String path = "/api/v1/namespaces/" + namespace + "/" + resource + (name == null ? "" : "/" + name)
        + (subresource == null ? "" : "/" + subresource);
    return AuditEvent.builder()
        .auditId(user + " " + verb + " " + path + " " + at)
        .stage(Stage.ResponseComplete)
        .requestUri(path)
        .verb(verb)
        .user(UserInfo.of(user, List.of("dev")))
        .impersonatedUser(UserInfo.of(user, List.of("kgate:dev", "system:authenticated")))
        .sourceIps(List.of("10.0.0.7"))
        .objectRef(new ObjectReference(resource, namespace, name, "", "v1", subresource))
        .responseStatus(code == 200 ? ResponseStatus.of(200) : new ResponseStatus(code, "Failure", "Forbidden", "forbidden by kgate policy"))
        .requestReceivedTimestamp(at.minusMillis(3))
        .stageTimestamp(at)
        .decision(decision)
        .cluster(cluster)
        .latencyMillis(3L)
        .build();
  }

  /** A list of secrets without a valid token. */
  static AuditEvent anonymous(Instant at) {
    return AuditEvent.builder()
        .auditId("anonymous " + at)
        .stage(Stage.ResponseComplete)
        .requestUri("/api/v1/secrets")
        .verb("list")
        .user(UserInfo.anonymous())
        .sourceIps(List.of("203.0.113.9"))
        .objectRef(new ObjectReference("secrets", null, null, "", "v1", null))
        .responseStatus(new ResponseStatus(401, "Failure", "Unauthorized", "Unauthorized"))
        .stageTimestamp(at)
        .decision(AuditAnnotations.UNAUTHENTICATED)
        .cluster("prod-eu")
        .build();
  }

  /** Appends and waits until every event is on disk. */
  static void appendAll(FileAuditLog log, AuditEvent... events) throws Exception {
    List<CompletableFuture<Durability>> written = new ArrayList<>();
    for (AuditEvent event : events) {
      written.add(log.append(event));
    }
    for (CompletableFuture<Durability> outcome : written) {
      Durability durability = outcome.get(10, TimeUnit.SECONDS);
      if (!durability.written()) {
        throw new AssertionError("event not written: " + durability);
      }
    }
  }
}
