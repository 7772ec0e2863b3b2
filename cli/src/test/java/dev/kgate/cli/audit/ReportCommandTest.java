package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.ReportLogFixture.ALICE;
import static dev.kgate.cli.audit.ReportLogFixture.BOB;
import static dev.kgate.cli.audit.ReportLogFixture.CLOCK;
import static dev.kgate.cli.audit.ReportLogFixture.CRAFTED;
import static dev.kgate.cli.audit.ReportLogFixture.CRAFTED_POD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kgate audit report} run in-process; the page is read as written (ReportBrowserTest opens it in Chromium). */
class ReportCommandTest {

  @TempDir static Path dir;
  @TempDir Path outDir;

  @BeforeAll
  static void writeTheLog() throws Exception {
    ReportLogFixture.write(dir);
  }

  private AuditRun report(Path out, String... options) {
    List<String> args = new ArrayList<>(List.of("report", "--dir", dir.toString(), "--out", out.toString()));
    args.addAll(Arrays.asList(options));
    return AuditRun.of(CLOCK, args.toArray(String[]::new));
  }

  private ReportDom page(String... options) throws Exception {
    Path out = outDir.resolve("report.html");
    AuditRun run = report(out, options);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ReportDom(Files.readString(out));
  }

  @Test
  void theReportSaysWhatItWroteInOneLine() {
    Path out = outDir.resolve("week.html");

    AuditRun run = report(out, "--since", "7d");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out().lines())
        .containsExactly("Wrote " + out + ": 4 users, 11 requests, 4 denials, 2 sessions, 2 secret reads.");
    assertThat(out).isRegularFile();
  }

  @Test
  void thePageIsSelfContainedAndRunsNoScript() throws Exception {
    String html = page("--since", "7d").html();

    assertThat(html).startsWith("<!DOCTYPE html>")
        .contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
        .contains("<style>").contains("<svg class=\"chart\"");
    assertThat(html).as("no element that runs or fetches anything")
        .doesNotContainPattern("(?i)<(script|link|img|iframe|object|embed|image|use|foreignObject)[\\s>/]");
    assertThat(html).as("no tag with a source or an event handler")
        .doesNotContainPattern("(?i)<[^>]*\\s(src|xlink:href|on\\w+)\\s*=");
    assertThat(Pattern.compile("href=\"([^\"]*)\"").matcher(html).results().map(link -> link.group(1)))
        .as("links only within the page").isNotEmpty().allMatch(link -> link.startsWith("#user-"));
    assertThat(html).doesNotContain("http://").doesNotContain("https://")
        .doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("@import");
  }

  @Test
  void aCraftedUsernameAndPodNameAreShownAsTextNotMarkup() throws Exception {
    ReportDom page = page("--since", "7d");

    assertThat(page.html()).contains(Html.text(CRAFTED)).contains(Html.text(CRAFTED_POD))
        .doesNotContain(CRAFTED).doesNotContain(CRAFTED_POD);
    assertThat(page.section("user-3").first("h2")).isEqualTo(CRAFTED);
    assertThat(page.section("summary").rows("users")).extracting(row -> row.get(0)).contains(CRAFTED);
  }

  @Test
  void theSummaryCountsTheWeek() throws Exception {
    ReportDom summary = page("--since", "7d").section("summary");

    assertThat(summary.byId("period")).isEqualTo("2025-03-03 12:00:00 to now");
    assertThat(List.of(summary.byId("users"), summary.byId("requests"), summary.byId("denials"),
        summary.byId("sessions"), summary.byId("secret-reads"), summary.byId("new-clusters")))
        .containsExactly("4", "11", "4", "2", "2", "5");
    assertThat(summary.rows("users")).containsExactly(
        List.of(ALICE, "5", "1", "1", "1", "1"),
        List.of(BOB, "4", "2", "1", "1", "2"),
        List.of(CRAFTED, "1", "0", "0", "0", "1"),
        List.of("system:anonymous", "1", "1", "0", "0", "1"));
  }

  @Test
  void userLimitsThePageToOneSectionButFirstAccessStillLooksAtTheWholeLog() throws Exception {
    ReportDom page = page("--since", "7d", "--user", ALICE);

    assertThat(page.section("summary").rows("users")).extracting(row -> row.get(0)).containsExactly(ALICE);
    assertThat(page.html()).doesNotContain("id=\"user-2\"");
    assertThat(page.section("user-1").rows("first-access")).extracting(row -> row.get(0), row -> row.get(4))
        .containsExactly(
            tuple("prod-eu", "before this period"),
            tuple("staging", "new in this period"));
  }

  @Test
  void aPeriodWithoutRequestsIsAPageThatSaysSo() throws Exception {
    ReportDom page = page("--since", "1h");

    assertThat(page.byId("requests")).isEqualTo("0");
    assertThat(page.section("summary").text()).contains("No request in this period.");
    assertThat(page.html()).doesNotContain("<section class=\"user\"");
  }

  @Test
  void anExistingReportIsReplacedWholeAndNoTemporaryFileIsLeft() throws Exception {
    Path out = outDir.resolve("report.html");
    Files.writeString(out, "last week's report");

    AuditRun run = report(out, "--since", "7d");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    try (Stream<Path> files = Files.list(outDir)) {
      assertThat(files.map(file -> file.getFileName().toString())).containsExactly("report.html");
    }
    assertThat(Files.getPosixFilePermissions(out)).as("who read which secret is for the reviewer only")
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void theReportIsNeverWrittenIntoTheAuditDirectory() throws Exception {
    List<Path> before;
    try (Stream<Path> files = Files.walk(dir)) {
      before = files.toList();
    }

    AuditRun run = report(dir.resolve("users").resolve("report.html"));

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("kgate: --out is inside the audit directory, which kgate audit never writes to: ");
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.toList()).containsExactlyInAnyOrderElementsOf(before);
    }
  }

  @Test
  void anOutputDirectoryThatDoesNotExistIsAUsageError() {
    Path out = outDir.resolve("no-such-dir").resolve("report.html");

    AuditRun run = report(out);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("kgate: the directory for --out does not exist: " + out.getParent());
    assertThat(out.getParent()).doesNotExist();
  }

  @Test
  void outIsRequired() {
    AuditRun run = AuditRun.of(CLOCK, "report", "--dir", dir.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required option: '--out=FILE'");
  }

  @Test
  void anUnreadableSinceIsOnePlainLine() {
    AuditRun run = report(outDir.resolve("report.html"), "--since", "last week");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().startsWith("kgate: invalid --since 'last week'");
    assertThat(outDir.resolve("report.html")).doesNotExist();
  }

  @Test
  void bobsSectionListsHisDenialsAndHisOpenPortForward() throws Exception {
    ReportDom bob = page("--since", "7d").section("user-2");

    assertThat(bob.first("h2")).isEqualTo(BOB);
    assertThat(bob.rows("denials")).containsExactly(
        List.of("2025-03-05 11:00:00", "staging", "get", "secrets/tls-cert", "default", "denied",
            "no rule allows get secrets on staging"),
        List.of("2025-03-05 11:01:00", "prod-eu", "create", "pods/web-0/exec", "default", "denied",
            "no rule allows create pods on prod-eu"));
    assertThat(bob.rows("sessions")).containsExactly(List.of("2025-03-05 12:00:00", "no end recorded", "unknown",
        "staging", "data/db-0", "portforward", "ports 5432", "-"));
  }
}
