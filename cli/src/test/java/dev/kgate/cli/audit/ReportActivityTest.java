package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.ReportLogFixture.ALICE;
import static dev.kgate.cli.audit.ReportLogFixture.BOB;
import static dev.kgate.cli.audit.ReportLogFixture.CRAFTED;
import static dev.kgate.cli.audit.ReportLogFixture.DAY;
import static dev.kgate.cli.audit.ReportLogFixture.EXEC_ID;
import static dev.kgate.cli.audit.ReportLogFixture.FORWARD_ID;
import static dev.kgate.cli.audit.ReportLogFixture.NOW;
import static dev.kgate.cli.audit.ReportLogFixture.SINCE;
import static dev.kgate.cli.audit.ReportLogFixture.done;
import static dev.kgate.cli.audit.ReportLogFixture.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.Stage;
import dev.kgate.audit.UserInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the report counts, from events in memory: no files, no browser. */
class ReportActivityTest {

  private static final TimeWindow WEEK = new TimeWindow(SINCE, null);

  private static ActivityReport week() {
    return ActivityReport.of(ReportLogFixture.events(), WEEK);
  }

  private static UserActivity user(ActivityReport report, String name) {
    return report.users().stream().filter(activity -> activity.user().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no section for " + name + " in " + report.users()));
  }

  @Test
  void theWeekHasFourUsersElevenRequestsFourDenialsTwoSessionsAndTwoSecretReads() {
    ActivityReport report = week();

    assertThat(report.users()).extracting(UserActivity::user)
        .as("username order, the request from before the week not counted")
        .containsExactly(ALICE, BOB, CRAFTED, UserInfo.ANONYMOUS);
    assertThat(report.requests()).isEqualTo(11);
    assertThat(report.denials()).isEqualTo(4);
    assertThat(report.sessions()).isEqualTo(2);
    assertThat(report.allowedSecretReads()).isEqualTo(2);
    assertThat(report.newClusterAccesses()).isEqualTo(5);
  }

  @Test
  void requestsAreCountedPerClusterAndVerbAndAnExecSessionCountsOnce() {
    UserActivity alice = user(week(), ALICE);

    assertThat(alice.total()).as("the exec's start and end are one request").isEqualTo(5);
    assertThat(alice.requestsByClusterAndVerb()).containsExactly(
        entry("prod-eu", new TreeMap<>(Map.of("create", 1L, "delete", 1L, "get", 1L, "list", 1L))),
        entry("staging", new TreeMap<>(Map.of("get", 1L))));
  }

  @Test
  void requestsOutsideThePeriodAreNotCounted() {
    ActivityReport whole = ActivityReport.of(ReportLogFixture.events(), new TimeWindow(null, null));
    ActivityReport firstDay = ActivityReport.of(ReportLogFixture.events(), new TimeWindow(null, SINCE));

    assertThat(user(whole, ALICE).total()).isEqualTo(6);
    assertThat(firstDay.users()).extracting(UserActivity::user).containsExactly(ALICE);
    assertThat(firstDay.requests()).isEqualTo(1);
  }

  @Test
  void firstAccessIsTheFirstRequestInTheWholeLogAndFlaggedWhenInThePeriod() {
    ActivityReport report = week();

    assertThat(user(report, ALICE).firstAccess())
        .extracting(first -> first.cluster(), first -> first.request().auditId(), first -> first.inPeriod())
        .containsExactly(
            tuple("prod-eu", "a0", false),
            tuple("staging", "a3", true));
    assertThat(user(report, BOB).firstAccess())
        .as("a refused request is an access attempt all the same")
        .extracting(first -> first.cluster(), first -> first.request().auditId(), first -> first.inPeriod())
        .containsExactly(
            tuple("prod-eu", "b3", true),
            tuple("staging", "b1", true));
    assertThat(user(report, ALICE).newClusters()).isEqualTo(1);
  }

  @Test
  void firstAccessLooksNoFurtherThanThePeriodsEnd() {
    List<AuditEvent> events = new ArrayList<>(ReportLogFixture.events());
    events.add(done("late", ALICE, "dev-us", "get", ref("pods", "default", "x"), AuditAnnotations.ALLOW, 200,
        NOW.plus(Duration.ofDays(1))));

    ActivityReport report = ActivityReport.of(events, new TimeWindow(SINCE, NOW));

    assertThat(user(report, ALICE).firstAccess()).extracting(UserActivity.FirstAccess::cluster)
        .containsExactly("prod-eu", "staging");
  }

  @Test
  void secretReadsAreGetListAndWatchOnCoreSecretsAllowedOrNot() {
    Instant at = DAY.plusSeconds(30);
    List<AuditEvent> events = List.of(
        done("r1", ALICE, "prod-eu", "watch", ref("secrets", "kube-system", null), AuditAnnotations.ALLOW, 200, at),
        done("r2", ALICE, "prod-eu", "get", ref("secrets", "kube-system", "token"), AuditAnnotations.DENY, 403, at.plusSeconds(1)),
        done("n1", ALICE, "prod-eu", "create", ref("secrets", "kube-system", null), AuditAnnotations.ALLOW, 201, at.plusSeconds(2)),
        done("n2", ALICE, "prod-eu", "get", new ObjectReference("secrets", "ns", "s", "vault.example.com", "v1", null),
            AuditAnnotations.ALLOW, 200, at.plusSeconds(3)),
        done("n3", ALICE, "prod-eu", "get", ref("configmaps", "kube-system", "c"), AuditAnnotations.ALLOW, 200, at.plusSeconds(4)));

    UserActivity alice = user(ActivityReport.of(events, WEEK), ALICE);

    assertThat(alice.secretReads()).extracting(AuditedRequest::auditId).containsExactly("r1", "r2");
    assertThat(alice.allowedSecretReads()).isEqualTo(1);
    assertThat(user(week(), BOB).secretReads()).extracting(AuditedRequest::auditId).containsExactly("b1", "b2");
  }

  @Test
  void sessionsAreTheExecAttachAndPortForwardsTheGatewayLetThrough() {
    ActivityReport report = week();

    AuditedRequest exec = user(report, ALICE).sessions().get(0);
    assertThat(user(report, ALICE).sessions()).hasSize(1);
    assertThat(exec.auditId()).isEqualTo(EXEC_ID);
    assertThat(exec.sessionKind()).isEqualTo("exec");
    assertThat(exec.duration()).isEqualTo(Duration.ofMinutes(12).plusSeconds(30));
    assertThat(exec.code()).isEqualTo(101);
    assertThat(exec.sessionDetail()).isEqualTo("sh -c cat /etc/passwd (container app)");
    assertThat(user(report, BOB).sessions()).as("the refused exec of bob's is a denial, not a session")
        .extracting(AuditedRequest::auditId).containsExactly(FORWARD_ID);
    AuditedRequest forward = user(report, BOB).sessions().get(0);
    assertThat(forward.end()).as("no end in the log").isNull();
    assertThat(forward.duration()).isNull();
    assertThat(forward.sessionDetail()).isEqualTo("ports 5432");
    assertThat(user(report, BOB).denials()).extracting(AuditedRequest::auditId).containsExactly("b2", "b3");
  }

  @Test
  void everyUnauthenticatedRequestIsSystemAnonymous() {
    AuditEvent nameless = AuditEvent.builder().auditId("u1").stage(Stage.ResponseComplete)
        .requestUri("/api").user(new UserInfo("", null, List.of(), Map.of())).stageTimestamp(DAY)
        .decision(AuditAnnotations.UNAUTHENTICATED).build();
    List<AuditEvent> events = new ArrayList<>(ReportLogFixture.events());
    events.add(nameless);

    UserActivity anonymous = user(ActivityReport.of(events, WEEK), UserInfo.ANONYMOUS);

    assertThat(anonymous.total()).isEqualTo(2);
    assertThat(anonymous.requestsByClusterAndVerb()).containsOnlyKeys(UserActivity.NONE, "prod-eu");
    assertThat(anonymous.firstAccess()).as("a request that named no cluster is no access to one")
        .extracting(UserActivity.FirstAccess::cluster).containsExactly("prod-eu");
  }
}
