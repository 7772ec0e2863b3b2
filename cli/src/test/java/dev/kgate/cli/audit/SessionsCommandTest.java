package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.ReportLogFixture.ALICE;
import static dev.kgate.cli.audit.ReportLogFixture.BOB;
import static dev.kgate.cli.audit.ReportLogFixture.CLOCK;
import static dev.kgate.cli.audit.ReportLogFixture.EXEC_ID;
import static dev.kgate.cli.audit.ReportLogFixture.FORWARD_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsCommandTest {

  @TempDir static Path dir;

  @BeforeAll
  static void writeTheLog() throws Exception {
    ReportLogFixture.write(dir);
  }

  private static AuditRun sessions(String... options) {
    List<String> args = new ArrayList<>(List.of("sessions", "--dir", dir.toString()));
    args.addAll(Arrays.asList(options));
    return AuditRun.of(CLOCK, args.toArray(String[]::new));
  }

  /** A column of the sessions table, read at the header's positions like AuditRun.column does for events. */
  private static List<String> sessionColumn(String table, String name) {
    List<String> lines = table.lines().toList();
    String header = lines.get(0);
    int index = SessionsCommand.HEADER.indexOf(name);
    int start = header.indexOf(name);
    int end = index + 1 < SessionsCommand.HEADER.size()
        ? header.indexOf(SessionsCommand.HEADER.get(index + 1)) : Integer.MAX_VALUE;
    return lines.subList(1, lines.size()).stream()
        .map(row -> row.substring(start, Math.min(end, row.length())).strip()).toList();
  }

  @Test
  void eachSessionTheGatewayLetThroughIsOneLineOldestFirst() {
    AuditRun run = sessions();

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines().get(0).split(" +")).containsExactly(SessionsCommand.HEADER.toArray(String[]::new));
    assertThat(sessionColumn(run.out(), "START")).containsExactly("2025-03-05T10:00:00Z", "2025-03-05T12:00:00Z");
    assertThat(sessionColumn(run.out(), "USER")).containsExactly(ALICE, BOB);
    assertThat(sessionColumn(run.out(), "CLUSTER")).containsExactly("prod-eu", "staging");
    assertThat(sessionColumn(run.out(), "POD")).containsExactly("payments/pay-0", "data/db-0");
    assertThat(sessionColumn(run.out(), "KIND")).containsExactly("exec", "portforward");
    assertThat(sessionColumn(run.out(), "DURATION")).containsExactly("12m30s", "no end");
    assertThat(sessionColumn(run.out(), "AUDIT-ID")).containsExactly(EXEC_ID, FORWARD_ID);
    assertThat(sessionColumn(run.out(), "COMMAND")).containsExactly("sh -c cat /etc/passwd (container app)", "ports 5432");
  }

  @Test
  void userAndSinceNarrowTheList() {
    assertThat(sessionColumn(sessions("--user", BOB).out(), "AUDIT-ID")).containsExactly(FORWARD_ID);
    assertThat(sessionColumn(sessions("--since", "2025-03-05T11:00:00Z").out(), "AUDIT-ID")).containsExactly(FORWARD_ID);
    assertThat(sessionColumn(sessions("--until", "2025-03-05T11:00:00Z").out(), "AUDIT-ID")).containsExactly(EXEC_ID);
  }

  @Test
  void noSessionPrintsNothingOnStdoutAndSaysSoOnStderr() {
    AuditRun run = sessions("--user", "nobody@example.com");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("No matching sessions.");
  }

  @Test
  void anEmptyWindowIsOnePlainLineAndExitCodeTwo() {
    AuditRun run = sessions("--since", "2025-03-06", "--until", "2025-03-05");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("kgate: --since 2025-03-06 is not before --until 2025-03-05");
  }
}
