package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.ReportLogFixture.ALICE;
import static dev.kgate.cli.audit.ReportLogFixture.DAY;
import static dev.kgate.cli.audit.ReportLogFixture.NOW;
import static dev.kgate.cli.audit.ReportLogFixture.done;
import static dev.kgate.cli.audit.ReportLogFixture.ref;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page and its text helpers, rendered in memory. */
class ReportPageTest {

  private static ReportDom render(List<AuditEvent> events) {
    ActivityReport report = ActivityReport.of(events, new TimeWindow(null, null));
    return new ReportDom(ReportPage.render(report, NOW, "/var/lib/kgate/audit"));
  }

  @Test
  void aLongListStopsAtFiveHundredRowsAndNamesTheCommandThatListsTheRest() {
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < UserSection.MAX_ROWS + 2; i++) {
      events.add(done("d" + i, "o'brien@example.com", "prod-eu", "delete", ref("pods", "default", "p" + i),
          AuditAnnotations.DENY, 403, DAY.plusSeconds(i)));
    }

    ReportDom user = render(events).section("user-1");

    assertThat(user.rows("denials")).hasSize(UserSection.MAX_ROWS);
    assertThat(user.rows("denials").get(0)).contains("pods/p0");
    assertThat(user.text()).contains("2 more not shown; list them all with "
        + "kgate audit query --dir DIR --user 'o'\\''brien@example.com' --denied.");
  }

  @Test
  void controlCharactersAndDirectionOverridesInANameAreShownNotObeyed() {
    String spoofed = "eve\u202egnp.txt\u001b[2J\r";

    assertThat(Html.text(spoofed)).isEqualTo("eve\\u202egnp.txt\\x1b[2J\\x0d");
    assertThat(Html.text("<a href=\"x\" title='y'>&amp;</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
    assertThat(Html.text(null)).isEmpty();
    ReportDom page = render(List.of(done("s1", spoofed, "prod-eu", "get", ref("pods", "default", "web"),
        AuditAnnotations.ALLOW, 200, DAY)));
    assertThat(page.section("user-1").first("h2")).isEqualTo("eve\\u202egnp.txt\\x1b[2J\\x0d");
  }

  @Test
  void spansReadAsPeopleSayThem() {
    assertThat(ReportText.span(Duration.ofMillis(850))).isEqualTo("850 ms");
    assertThat(ReportText.span(Duration.ofSeconds(42))).isEqualTo("42s");
    assertThat(ReportText.span(Duration.ofSeconds(750))).isEqualTo("12m 30s");
    assertThat(ReportText.span(Duration.ofMinutes(125))).isEqualTo("2h 05m 00s");
    assertThat(ReportText.span(Duration.ofDays(3).plusHours(4).plusMinutes(10))).isEqualTo("3d 04h 10m");
  }

  @Test
  void aLongNameIsCutInTheChartButWholeInItsTooltipAndTable() {
    String longCluster = "cluster-with-a-name-longer-than-the-chart-column";

    ReportDom user = render(List.of(done("c1", ALICE, longCluster, "get", ref("pods", "default", "web"),
        AuditAnnotations.ALLOW, 200, DAY))).section("user-1");

    assertThat(user.svgTexts("bar-label")).containsExactly("cluster-with-a-name-longer-\u2026");
    assertThat(user.html()).contains("<title>" + longCluster + ": 1</title>");
    assertThat(user.rows("requests")).containsExactly(List.of(longCluster, "1", "1"));
  }
}
