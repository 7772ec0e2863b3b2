package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.AuditLogFixture.ALICE;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_ONE;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_THREE;
import static dev.kgate.cli.audit.AuditLogFixture.appendAll;
import static dev.kgate.cli.audit.AuditLogFixture.event;
import static dev.kgate.cli.audit.AuditRun.column;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.file.FileAuditLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailCommandTest {

  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @TempDir Path dir;

  private Following following;

  @AfterEach
  void stopFollowing() throws InterruptedException {
    if (following != null) {
      following.stop();
    }
  }

  @Test
  void tailPrintsTheLatestEventsOldestFirst() throws Exception {
    AuditLogFixture.write(dir);

    AuditRun run = AuditRun.of("tail", "-n", "3", "--dir", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(column(run.out(), "RESOURCE")).containsExactly("pods/web-4", "pods/db-0/exec", "configmaps/settings");
  }

  @Test
  void tailTakesTheSameFiltersAsQuery() throws Exception {
    AuditLogFixture.write(dir);

    AuditRun alice = AuditRun.of("tail", "--user", ALICE, "--dir", dir.toString());
    AuditRun denied = AuditRun.of("tail", "-n", "2", "--denied", "--dir", dir.toString());

    assertThat(column(alice.out(), "RESOURCE"))
        .containsExactly("pods/web-1", "pods/web-2", "pods/pay-0/exec", "deployments", "pods/web-4");
    assertThat(column(denied.out(), "RESOURCE")).containsExactly("secrets", "pods/db-0/exec");
  }

  @Test
  void controlCharactersInLoggedValuesArePrintedAsEscapesNotSentToTheTerminal() throws Exception {
    try (FileAuditLog log = FileAuditLog.open(AuditLogFixture.options(dir, new TestClock(DAY_ONE)))) {
      appendAll(log, allowed(ALICE, "web\u001b[2J\rok", DAY_ONE));
    }

    AuditRun run = AuditRun.of("tail", "--dir", dir.toString());

    assertThat(run.out()).doesNotContain("\u001b").doesNotContain("\r");
    assertThat(column(run.out(), "RESOURCE")).containsExactly("pods/web\\x1b[2J\\x0dok");
  }

  @Test
  void followPicksUpLinesAppendedToAnExistingUserANewUserAndTheNextDaysFile() throws Exception {
    TestClock clock = new TestClock(DAY_ONE);
    try (FileAuditLog log = FileAuditLog.open(AuditLogFixture.options(dir, clock))) {
      appendAll(log, allowed(ALICE, "before-1", DAY_ONE), allowed(ALICE, "before-2", DAY_ONE.plusSeconds(1)));
      following = Following.start(dir, "-n", "1");
      following.awaitRows(1);

      appendAll(log, allowed(ALICE, "appended", DAY_ONE.plusSeconds(2)));
      following.awaitRows(2);
      appendAll(log, allowed("dave@example.com", "new-user", DAY_ONE.plusSeconds(3)));
      following.awaitRows(3);
      clock.advance(Duration.ofDays(1));
      appendAll(log, allowed(ALICE, "next-day", DAY_ONE.plus(Duration.ofDays(1))));
      following.awaitRows(4);

      assertThat(dir.resolve(AuditLogFixture.chainFile(ALICE, "2025-03-02.jsonl"))).as("the log rotated").exists();
      assertThat(following.stop()).as("exit code after an interrupt").isZero();
      assertThat(column(following.out(), "RESOURCE")).as("each event once, in order")
          .containsExactly("pods/before-2", "pods/appended", "pods/new-user", "pods/next-day");
      assertThat(column(following.out(), "USER")).containsExactly(ALICE, ALICE, "dave@example.com", ALICE);
    }
  }

  @Test
  void followAppliesTheFiltersToNewEvents() throws Exception {
    TestClock clock = new TestClock(DAY_THREE);
    try (FileAuditLog log = FileAuditLog.open(AuditLogFixture.options(dir, clock))) {
      appendAll(log, allowed(ALICE, "before", DAY_THREE));
      // Whether these land before or after tail's first read, only the refused one may show.
      following = Following.start(dir, "--denied", "--format", "json");

      appendAll(log, allowed(ALICE, "allowed", DAY_THREE.plusSeconds(1)),
          event(ALICE, "prod-eu", "create", "pods", "refused", "exec", "default", AuditAnnotations.DENY, 403,
              DAY_THREE.plusSeconds(2)));
      Awaitility.await().atMost(PATIENCE).until(() -> following.out().contains("refused"));

      following.stop();
      assertThat(following.out().lines().toList()).singleElement().asString()
          .startsWith("{\"kind\":\"Event\"").contains("\"name\":\"refused\"");
    }
  }

  @Test
  void followWithNothingYetPrintsTheHeaderAndWaits() throws Exception {
    Files.createDirectories(dir.resolve("users"));

    following = Following.start(dir);
    Awaitility.await().atMost(PATIENCE).until(() -> following.out().startsWith("TIME"));

    assertThat(following.thread.isAlive()).as("still following").isTrue();
    assertThat(following.stop()).isZero();
  }

  private static AuditEvent allowed(String user, String name, Instant at) {
    return event(user, "prod-eu", "get", "pods", name, null, "default", AuditAnnotations.ALLOW, 200, at);
  }

  /** {@code kgate audit tail -f} running on a thread of its own, its output readable while it runs. */
  private static final class Following {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final AtomicInteger exitCode = new AtomicInteger(-1);
    private final Thread thread;

    private Following(Path dir, String... args) {
      String[] all = new String[args.length + 4];
      all[0] = "tail";
      all[1] = "-f";
      all[2] = "--dir";
      all[3] = dir.toString();
      System.arraycopy(args, 0, all, 4, args.length);
      thread = new Thread(() -> exitCode.set(AuditRun.commandLine(Clock.systemUTC(),
          new PrintWriter(out, true), new PrintWriter(err, true)).execute(all)), "kgate-audit-tail-test");
    }

    static Following start(Path dir, String... args) {
      Following following = new Following(dir, args);
      following.thread.start();
      return following;
    }

    String out() {
      return out.toString();
    }

    void awaitRows(int rows) {
      Awaitility.await().atMost(PATIENCE)
          .until(() -> out().lines().count() == rows + 1);
    }

    /** Interrupts the thread, as Ctrl-C ends the real command, and returns the exit code. */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(PATIENCE.toMillis());
      assertThat(thread.isAlive()).as("tail -f stops when interrupted; stderr: " + err).isFalse();
      return exitCode.get();
    }
  }
}
