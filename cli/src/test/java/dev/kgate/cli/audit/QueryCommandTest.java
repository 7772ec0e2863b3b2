package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.AuditLogFixture.ALICE;
import static dev.kgate.cli.audit.AuditLogFixture.ALL;
import static dev.kgate.cli.audit.AuditLogFixture.BOB;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_ONE_FILE;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_THREE;
import static dev.kgate.cli.audit.AuditLogFixture.chainFile;
import static dev.kgate.cli.audit.AuditRun.column;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCommandTest {

  /** An hour after the last event of the fixture. */
  private static final Clock NOW = Clock.fixed(DAY_THREE.plus(Duration.ofHours(1)), ZoneOffset.UTC);

  @TempDir static Path dir;

  @BeforeAll
  static void writeTheLog() throws Exception {
    AuditLogFixture.write(dir);
  }

  private static AuditRun query(String... filters) {
    List<String> args = new ArrayList<>(List.of("query", "--dir", dir.toString()));
    args.addAll(Arrays.asList(filters));
    return AuditRun.of(NOW, args.toArray(String[]::new));
  }

  /** The RESOURCE column of a successful table query, which names each fixture event. */
  private static List<String> resources(String... filters) {
    AuditRun run = query(filters);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return column(run.out(), "RESOURCE");
  }

  @Test
  void withoutFiltersEveryEventIsATableRowOldestFirst() {
    AuditRun run = query();

    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines().get(0).split(" +")).containsExactly(EventTable.HEADER.toArray(String[]::new));
    assertThat(column(run.out(), "RESOURCE")).containsExactlyElementsOf(ALL);
  }

  @Test
  void theColumnsAreAlignedAndHoldEachField() {
    AuditRun run = query("--resource", "pods/exec", "--cluster", "prod-eu");

    assertThat(run.outLines()).hasSize(2);
    assertThat(column(run.out(), "TIME")).containsExactly("2025-03-01T10:03:00Z");
    assertThat(column(run.out(), "USER")).containsExactly(ALICE);
    assertThat(column(run.out(), "CLUSTER")).containsExactly("prod-eu");
    assertThat(column(run.out(), "VERB")).containsExactly("create");
    assertThat(column(run.out(), "RESOURCE")).containsExactly("pods/pay-0/exec");
    assertThat(column(run.out(), "NAMESPACE")).containsExactly("payments");
    assertThat(column(run.out(), "DECISION")).containsExactly("deny");
    assertThat(column(run.out(), "CODE")).containsExactly("403");
    List<String> all = query().outLines();
    assertThat(all).as("every row's cells start where the header's labels do")
        .allSatisfy(line -> assertThat(line.charAt(all.get(0).indexOf("CLUSTER") - 1)).isEqualTo(' '));
  }

  @Test
  void userKeepsOnlyThatUsersEvents() {
    assertThat(resources("--user", BOB)).containsExactly("pods/web-3", "deployments/api", "pods/db-0/exec");
    assertThat(resources("--user", "system:anonymous")).containsExactly("secrets");
  }

  @Test
  void clusterKeepsOnlyThatClustersEvents() {
    assertThat(resources("--cluster", "staging"))
        .containsExactly("pods/web-2", "deployments", "deployments/api", "pods/db-0/exec", "configmaps/settings");
  }

  @Test
  void verbKeepsOnlyThatVerb() {
    assertThat(resources("--verb", "create")).containsExactly("pods/pay-0/exec", "pods/db-0/exec");
    assertThat(resources("--verb", "delete")).containsExactly("deployments/api");
  }

  @Test
  void resourceMatchesAResourceOrAResourceWithItsSubresource() {
    assertThat(resources("--resource", "pods/exec")).containsExactly("pods/pay-0/exec", "pods/db-0/exec");
    assertThat(resources("--resource", "deployments")).containsExactly("deployments", "deployments/api");
  }

  @Test
  void sinceASpanCountsBackFromNow() {
    assertThat(resources("--since", "24h")).containsExactly("pods/web-4", "pods/db-0/exec", "configmaps/settings");
  }

  @Test
  void sinceAndUntilTimesMakeAWindow() {
    assertThat(resources("--since", "2025-03-01T10:05:00Z", "--until", "2025-03-01T10:07:00Z"))
        .as("since inclusive, until exclusive").containsExactly("pods/web-3", "deployments/api");
  }

  @Test
  void deniedKeepsRefusalsAndUnauthenticatedRequests() {
    assertThat(resources("--denied"))
        .containsExactly("pods/pay-0/exec", "deployments/api", "secrets", "pods/db-0/exec");
    assertThat(resources("--denied", "--user", ALICE)).containsExactly("pods/pay-0/exec");
  }

  @Test
  void jsonPrintsEachEventAsStoredOnePerLine() throws Exception {
    AuditRun run = query("--format", "json", "--user", ALICE, "--until", "2025-03-02T00:00:00Z");

    List<String> stored = Files.readAllLines(dir.resolve(chainFile(ALICE, DAY_ONE_FILE)));
    assertThat(run.exitCode()).isZero();
    assertThat(run.outLines()).as("the stored lines without the chain's seq and prevHash")
        .containsExactlyElementsOf(stored.stream()
            .map(line -> line.replaceFirst(",\"seq\":\\d+,\"prevHash\":\"[^\"]+\"}$", "}")).toList());
    assertThat(run.out()).doesNotContain("prevHash");
  }

  @Test
  void noMatchPrintsNothingOnStdoutAndSaysSoOnStderr() {
    AuditRun run = query("--cluster", "no-such-cluster");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("No matching events.");
  }

  @Test
  void anUnreadableSinceIsOnePlainLineAndExitCodeTwo() {
    AuditRun run = query("--since", "yesterday");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("kgate: invalid --since 'yesterday': expected ");
  }

  @Test
  void anUnknownFormatIsOnePlainLineAndExitCodeTwo() {
    AuditRun run = query("--format", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("kgate: invalid --format 'xml': expected table or json");
  }

  @Test
  void aMissingDirectoryIsOnePlainLineAndExitCodeTwo() {
    Path missing = dir.resolve("no-such-dir");

    AuditRun run = AuditRun.of("query", "--dir", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("kgate: audit directory does not exist: " + missing);
  }
}
