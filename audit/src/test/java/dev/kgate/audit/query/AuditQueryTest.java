package dev.kgate.audit.query;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.testing.MutableClock;
import dev.kgate.audit.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditQueryTest {

  private static final Instant DAY_ONE = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant DAY_THREE = DAY_ONE.plus(Duration.ofDays(2));

  @TempDir
  static Path dir;

  @BeforeAll
  static void writeThreeDaysOfEvents() throws Exception {
    MutableClock clock = new MutableClock(DAY_ONE);
    try (FileAuditLog log = FileAuditLog.open(FileAuditLog.Options.defaults(dir).withClock(clock)
        .withFsyncInterval(Duration.ofMillis(5)))) {
      appendAll(log, List.of(TestEvents.allowedGet("alice", 1, DAY_ONE), TestEvents.deniedExec("bob", 2, DAY_ONE),
          TestEvents.unauthenticated("198.51.100.7", 3, DAY_ONE)));
      clock.advance(Duration.ofDays(2));
      appendAll(log, List.of(TestEvents.deniedExec("alice", 4, DAY_THREE),
          TestEvents.allowedGet("bob", 5, DAY_THREE).toBuilder().cluster("staging").build(),
          TestEvents.unauthenticated("203.0.113.50", 6, DAY_THREE)));
    }
  }

  private List<String> ids(AuditFilter filter) throws Exception {
    return new AuditQuery(dir).find(filter).stream().map(AuditEvent::auditId).toList();
  }

  private static String id(String user, int n) {
    return user.hashCode() + "-" + n;
  }

  @Test
  void withoutCriteriaEveryEventComesBackOldestFirst() throws Exception {
    assertThat(ids(AuditFilter.any())).containsExactlyInAnyOrder(id("alice", 1), id("bob", 2), "anon-3",
        id("alice", 4), id("bob", 5), "anon-6");
    assertThat(new AuditQuery(dir).find(AuditFilter.any())).extracting(AuditEvent::stageTimestamp).isSorted();
  }

  @Test
  void byUser() throws Exception {
    assertThat(ids(AuditFilter.any().withUser("alice"))).containsExactly(id("alice", 1), id("alice", 4));
    assertThat(ids(AuditFilter.any().withUser("carol"))).isEmpty();
  }

  @Test
  void unauthenticatedRequestsAreFoundAsSystemAnonymous() throws Exception {
    assertThat(ids(AuditFilter.any().withUser("system:anonymous"))).containsExactly("anon-3", "anon-6");
  }

  @Test
  void byClusterVerbAndResource() throws Exception {
    assertThat(ids(AuditFilter.any().withCluster("staging"))).containsExactly(id("bob", 5));
    assertThat(ids(AuditFilter.any().withVerb("create"))).containsExactly(id("bob", 2), id("alice", 4));
    assertThat(ids(AuditFilter.any().withResource("pods/exec"))).containsExactly(id("bob", 2), id("alice", 4));
    assertThat(ids(AuditFilter.any().withResource("pods"))).hasSize(4);
  }

  @Test
  void sinceSkipsOlderEvents() throws Exception {
    assertThat(ids(AuditFilter.any().withSince(DAY_THREE.minusSeconds(1))))
        .containsExactlyInAnyOrder(id("alice", 4), id("bob", 5), "anon-6");
  }

  @Test
  void deniedOnlyKeepsRefusalsAndUnauthenticatedRequests() throws Exception {
    assertThat(ids(AuditFilter.any().withDeniedOnly(true)))
        .containsExactlyInAnyOrder(id("bob", 2), "anon-3", id("alice", 4), "anon-6");
    assertThat(ids(AuditFilter.any().withDeniedOnly(true).withUser("alice").withSince(DAY_THREE)))
        .containsExactly(id("alice", 4));
  }
}
