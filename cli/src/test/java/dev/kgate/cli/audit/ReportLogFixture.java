package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.AuditLogFixture.appendAll;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.ResponseStatus;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import dev.kgate.audit.file.FileAuditLog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A week's audit log for the report, written with {@link FileAuditLog}: two people on two
 * clusters, one request from before the week, an exec session (its start and its end), a
 * port-forward still open, reads of secrets allowed and refused, an unauthenticated request, and a
 * user whose name is an attack on the page. {@link #NOW} is the report's time; {@code --since 7d}
 * starts at {@link #SINCE}.
 *
 * <pre>
 *  03-01 09:00     alice    prod-eu  get    pods/web-1                      allow  (before the week)
 *  03-05 09:01     alice    prod-eu  list   pods                            allow
 *  03-05 09:02     alice    prod-eu  get    secrets/db-password             allow
 *  03-05 09:03     alice    staging  get    pods/api-0                      allow  (alice's first on staging)
 *  03-05 10:00     alice    prod-eu  create pods/pay-0/exec  RequestReceived
 *  03-05 10:05     bob      staging  list   secrets                         allow
 *  03-05 10:10     alice    prod-eu  delete deployments/payments            deny
 *  03-05 10:12:30  alice    prod-eu  create pods/pay-0/exec  ResponseComplete 101 (12m 30s)
 *  03-05 11:00     bob      staging  get    secrets/tls-cert                deny
 *  03-05 11:01     bob      prod-eu  create pods/web-0/exec                 deny
 *  03-05 12:00     bob      staging  create pods/db-0/portforward  RequestReceived, no end
 *  03-05 13:00     CRAFTED  staging  get    pods/CRAFTED_POD                allow
 *  03-05 14:00     (none)   prod-eu  list   secrets                         unauthenticated
 * </pre>
 *
 * In the week: 4 users, 11 requests, 4 denials, 2 sessions, 2 secret reads allowed (2 refused),
 * 5 first accesses (alice staging; bob staging and prod-eu; the crafted user; anonymous prod-eu).
 */
final class ReportLogFixture {

  static final Instant NOW = Instant.parse("2025-03-10T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final Instant SINCE = NOW.minus(Duration.ofDays(7));
  static final Instant BEFORE = Instant.parse("2025-03-01T09:00:00Z");
  static final Instant DAY = Instant.parse("2025-03-05T09:00:00Z");
  static final String ALICE = "alice@example.com";
  static final String BOB = "bob@example.com";
  /** A username that would run a script and add an image if the page did not escape it. */
  static final String CRAFTED =
      "mallory\"'><img src=x onerror=alert(1)><script>document.body.setAttribute('data-pwned','1')</script>";
  /** A pod name that would close the table cell and run a script. */
  static final String CRAFTED_POD = "x</td><script>document.title='pwned'</script>";
  static final String EXEC_ID = "7c9e6679-exec-alice";
  static final String EXEC_URI = "/api/v1/namespaces/payments/pods/pay-0/exec"
      + "?command=sh&command=-c&command=cat%20%2Fetc%2Fpasswd&container=app&stdin=true&stdout=true&tty=true";
  static final String FORWARD_ID = "3f2504e0-forward-bob";

  private ReportLogFixture() {}

  /** Writes the log into {@code dir} and closes it. */
  static void write(Path dir) throws Exception {
    TestClock clock = new TestClock(BEFORE);
    try (FileAuditLog log = FileAuditLog.open(AuditLogFixture.options(dir, clock))) {
      appendAll(log, events().subList(0, 1).toArray(AuditEvent[]::new));
      clock.advance(Duration.between(BEFORE, DAY));
      List<AuditEvent> week = events();
      appendAll(log, week.subList(1, week.size()).toArray(AuditEvent[]::new));
    }
  }

  /** The events, in the order they are written. */
  static List<AuditEvent> events() {
    return List.of(
        done("a0", ALICE, "prod-eu", "get", ref("pods", "default", "web-1"), AuditAnnotations.ALLOW, 200, BEFORE),
        done("a1", ALICE, "prod-eu", "list", ref("pods", "default", null), AuditAnnotations.ALLOW, 200, at(0, 1, 0)),
        done("a2", ALICE, "prod-eu", "get", ref("secrets", "payments", "db-password"), AuditAnnotations.ALLOW, 200, at(0, 2, 0)),
        done("a3", ALICE, "staging", "get", ref("pods", "default", "api-0"), AuditAnnotations.ALLOW, 200, at(0, 3, 0)),
        exec(Stage.RequestReceived, at(1, 0, 0)),
        done("b1", BOB, "staging", "list", ref("secrets", "default", null), AuditAnnotations.ALLOW, 200, at(1, 5, 0)),
        done("a4", ALICE, "prod-eu", "delete", ref("deployments", "payments", "payments"), AuditAnnotations.DENY, 403, at(1, 10, 0)),
        exec(Stage.ResponseComplete, at(1, 12, 30)),
        done("b2", BOB, "staging", "get", ref("secrets", "default", "tls-cert"), AuditAnnotations.DENY, 403, at(2, 0, 0)),
        done("b3", BOB, "prod-eu", "create", new ObjectReference("pods", "default", "web-0", "", "v1", "exec"),
            AuditAnnotations.DENY, 403, at(2, 1, 0)),
        AuditEvent.builder().auditId(FORWARD_ID).stage(Stage.RequestReceived)
            .requestUri("/api/v1/namespaces/data/pods/db-0/portforward?ports=5432")
            .verb("create").user(UserInfo.of(BOB, List.of("dev"))).sourceIps(List.of("10.0.0.8"))
            .objectRef(new ObjectReference("pods", "data", "db-0", "", "v1", "portforward"))
            .stageTimestamp(at(3, 0, 0)).decision(AuditAnnotations.ALLOW).cluster("staging").build(),
        done("m1", CRAFTED, "staging", "get", ref("pods", "default", CRAFTED_POD), AuditAnnotations.ALLOW, 200, at(4, 0, 0)),
        AuditEvent.builder().auditId("n1").stage(Stage.ResponseComplete).requestUri("/api/v1/secrets")
            .verb("list").user(UserInfo.anonymous()).sourceIps(List.of("203.0.113.9"))
            .objectRef(new ObjectReference("secrets", null, null, "", "v1", null))
            .responseStatus(new ResponseStatus(401, "Failure", "Unauthorized", "Unauthorized"))
            .stageTimestamp(at(5, 0, 0)).decision(AuditAnnotations.UNAUTHENTICATED).cluster("prod-eu").build());
  }

  private static Instant at(int hours, int minutes, int seconds) {
    return DAY.plus(Duration.ofHours(hours).plusMinutes(minutes).plusSeconds(seconds));
  }

  static ObjectReference ref(String resource, String namespace, String name) {
    return new ObjectReference(resource, namespace, name, "", "v1", null);
  }

  /** A request received at {@code at} that ended 3 ms later. */
  static AuditEvent done(String id, String user, String cluster, String verb, ObjectReference ref,
      String decision, int code, Instant at) {
    String path = "/api/v1/namespaces/" + ref.namespace() + "/" + ref.resource()
        + (ref.name() == null ? "" : "/" + ref.name()) + (ref.subresource() == null ? "" : "/" + ref.subresource());
    AuditEvent.Builder event = AuditEvent.builder()
        .auditId(id).stage(Stage.ResponseComplete).requestUri(path).verb(verb)
        .user(UserInfo.of(user, List.of("dev"))).sourceIps(List.of("10.0.0.7")).objectRef(ref)
        .responseStatus(code < 400 ? ResponseStatus.of(code) : new ResponseStatus(code, "Failure", "Forbidden", "forbidden"))
        .requestReceivedTimestamp(at).stageTimestamp(at.plusMillis(3)).decision(decision).cluster(cluster)
        .latencyMillis(3L);
    if (AuditAnnotations.DENY.equals(decision)) {
      event.annotation(AuditAnnotations.REASON, "no rule allows " + verb + " " + ref.resource() + " on " + cluster);
    }
    return event.build();
  }

  private static AuditEvent exec(Stage stage, Instant at) {
    AuditEvent.Builder event = AuditEvent.builder().auditId(EXEC_ID).stage(stage).requestUri(EXEC_URI)
        .verb("create").user(UserInfo.of(ALICE, List.of("dev"))).sourceIps(List.of("10.0.0.7"))
        .objectRef(new ObjectReference("pods", "payments", "pay-0", "", "v1", "exec"))
        .requestReceivedTimestamp(at(1, 0, 0)).stageTimestamp(at)
        .decision(AuditAnnotations.ALLOW).cluster("prod-eu");
    if (stage == Stage.ResponseComplete) {
      event.responseStatus(new ResponseStatus(101, "Success", null, null)).latencyMillis(750_000L);
    }
    return event.build();
  }
}
