package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.AuditLogFixture.BOB;
import static dev.kgate.cli.audit.AuditRun.column;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kgate audit} as the real {@code kgate} command tree runs it. */
class AuditCommandTest {

  @TempDir Path dir;

  @Test
  void auditIsASubcommandOfKgate() throws Exception {
    AuditLogFixture.write(dir);

    CapturedRun run = CapturedRun.of("audit", "query", "--dir", dir.toString(), "--user", BOB);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(column(run.out(), "RESOURCE")).containsExactly("pods/web-3", "deployments/api", "pods/db-0/exec");
  }

  @Test
  void withoutASubcommandTheUsageNamesThemAllAndTheExitCodeIsTwo() {
    CapturedRun run = CapturedRun.of("audit");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing COMMAND").contains("verify").contains("query").contains("tail")
        .contains("sessions").contains("report");
  }

  @Test
  void aBadSinceThroughKgateIsOnePlainLineWithoutAStackTrace() {
    CapturedRun run = CapturedRun.of("audit", "tail", "--dir", dir.toString(), "--since", "2026-13-01");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().startsWith("kgate: invalid --since '2026-13-01'");
  }

  @Test
  void helpForASubcommandListsItsOptions() {
    CapturedRun run = CapturedRun.of("audit", "tail", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--follow").contains("--lines").contains("--since").contains("--denied");
  }
}
