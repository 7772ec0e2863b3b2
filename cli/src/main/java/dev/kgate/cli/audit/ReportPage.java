package dev.kgate.cli.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG charts, no script, no
 * font, image or style sheet from anywhere else, so it can be mailed, archived and opened offline.
 * Its Content-Security-Policy tells the browser the same ({@code default-src 'none'}): should a
 * logged value ever slip past {@link Html#text}, it could still not run or fetch anything. A
 * summary comes first, then one {@link UserSection} per user.
 */
final class ReportPage {

  /** Users beyond this many, by request count, are in the summary table but not its chart. */
  static final int MAX_CHART_USERS = 40;

  private static final String CSP = "default-src 'none'; style-src 'unsafe-inline'";
  private static final List<BarChart.Series> OUTCOMES = List.of(
      new BarChart.Series("allowed", "#4e79a7"),
      new BarChart.Series("refused", "#e15759"),
      new BarChart.Series("gateway error", "#bab0ac"));

  private static final String STYLE = """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
        color: #1f2328; background: #fff; margin: 0 auto; padding: 16px 32px 48px; max-width: 1180px; }
      h1 { font-size: 26px; margin: 8px 0 4px; }
      h2 { font-size: 20px; margin: 0 0 6px; }
      h3 { font-size: 15px; margin: 22px 0 8px; color: #444c56; }
      header .meta, .note, .user-figures, .secret-figures { color: #57606a; }
      section { border-top: 2px solid #d0d7de; padding: 18px 0 8px; margin-top: 18px; }
      section.user h2 { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
      dl.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 18px; }
      dl.figures div { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 16px; min-width: 120px; }
      dl.figures dt { color: #57606a; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
      dl.figures dd { margin: 0; font-size: 26px; font-weight: 600; }
      dl.figures dd.period { font-size: 15px; font-weight: 500; padding-top: 8px; }
      figure { margin: 8px 0 12px; }
      svg.chart { max-width: 100%; height: auto; font-size: 12px; }
      svg .bar-label, svg .legend-label { fill: #1f2328; }
      svg .bar-value { fill: #57606a; font-weight: 600; }
      table { border-collapse: collapse; margin: 4px 0 8px; font-size: 13px; }
      th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
      thead th { background: #f6f8fa; }
      tbody th { font-weight: 500; }
      table.requests td, table.users td { text-align: right; font-variant-numeric: tabular-nums; }
      td { word-break: break-word; max-width: 420px; }
      .decision.allow { color: #1a7f37; }
      .decision.deny { color: #cf222e; font-weight: 600; }
      .decision.error { color: #9a6700; }
      .flag.new { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 10px; padding: 0 8px; font-weight: 600; }
      .open { color: #9a6700; }
      p.none { color: #57606a; font-style: italic; }
      code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f6f8fa; padding: 1px 4px; }
      """;

  private ReportPage() {}

  /**
   * @param source where the log was read from, shown in the header
   */
  static String render(ActivityReport report, Instant generatedAt, String source) {
    StringBuilder html = new StringBuilder(64 * 1024);
    String period = period(report.period());
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>kgate audit report, ").append(period).append("</title>\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<header>\n")
        .append("<h1>kgate audit report</h1>\n<p class=\"meta\">Generated ").append(ReportText.stamp(generatedAt))
        .append(" from <code>").append(Html.text(source)).append("</code>. All times are UTC.</p>\n</header>\n");
    summary(html, report, period);
    for (int i = 0; i < report.users().size(); i++) {
      UserSection.write(html, report.users().get(i), sectionId(i));
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void summary(StringBuilder html, ActivityReport report, String period) {
    html.append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"figures\">\n")
        .append("<div><dt>Period</dt><dd class=\"period\" id=\"period\">").append(period).append("</dd></div>\n");
    figure(html, "users", "Users", report.users().size());
    figure(html, "requests", "Requests", report.requests());
    figure(html, "denials", "Denials", report.denials());
    figure(html, "sessions", "Sessions", report.sessions());
    figure(html, "secret-reads", "Secret reads", report.allowedSecretReads());
    figure(html, "new-clusters", "New cluster access", report.newClusterAccesses());
    html.append("</dl>\n");
    if (report.users().isEmpty()) {
      html.append("<p class=\"none\">No request in this period.</p>\n</section>\n");
      return;
    }
    List<BarChart.Bar> bars = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < report.users().size(); i++) {
      UserActivity activity = report.users().get(i);
      long refused = activity.denials().size();
      long errors = activity.errors();
      bars.add(new BarChart.Bar(activity.user(), new long[] {activity.total() - refused - errors, refused, errors}));
      rows.add(List.of("<a href=\"#" + sectionId(i) + "\">" + Html.text(activity.user()) + "</a>",
          Long.toString(activity.total()), Long.toString(refused), Long.toString(activity.sessions().size()),
          Long.toString(activity.allowedSecretReads()), Long.toString(activity.newClusters())));
    }
    List<BarChart.Bar> charted = bars.stream()
        .sorted(Comparator.comparingLong(BarChart.Bar::total).reversed()).limit(MAX_CHART_USERS).toList();
    html.append("<figure>").append(BarChart.svg("Requests per user", OUTCOMES, charted)).append("</figure>\n");
    if (bars.size() > charted.size()) {
      html.append("<p class=\"note\">The chart shows the ").append(charted.size())
          .append(" users with the most requests; the table lists all.</p>\n");
    }
    Html.table(html, "users",
        List.of("User", "Requests", "Denials", "Sessions", "Secret reads", "New cluster access"), rows);
    html.append("<p class=\"note\">Denials are requests refused by policy or without a valid token. This page shows")
        .append(" the log as it is, without checking it; <code>kgate audit verify</code> does that.</p>\n</section>\n");
  }

  private static void figure(StringBuilder html, String id, String label, long value) {
    html.append("<div><dt>").append(label).append("</dt><dd id=\"").append(id).append("\">").append(value)
        .append("</dd></div>\n");
  }

  private static String period(TimeWindow period) {
    return (period.since() == null ? "start of the log" : ReportText.stamp(period.since())) + " to "
        + (period.until() == null ? "now" : ReportText.stamp(period.until()));
  }

  /** Section ids are numbers, never usernames: a name could hold anything. */
  private static String sectionId(int index) {
    return "user-" + (index + 1);
  }
}
