package dev.kgate.cli.audit;

import dev.kgate.audit.AuditAnnotations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One user's part of the report page: requests per cluster and verb (a chart and a table), the
 * refusals, the interactive sessions, the first access to each cluster and the reads of Secrets.
 * Long lists stop at {@value #MAX_ROWS} rows and name the {@code kgate audit} command that lists
 * the rest, so that a busy week still makes a page a browser opens.
 */
final class UserSection {

  static final int MAX_ROWS = 500;

  /** The verbs in the order Kubernetes documents them, and the colour each has on every chart. */
  private static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
  private static final List<String> VERB_COLORS =
      List.of("#4e79a7", "#59a14f", "#76b7b2", "#f28e2b", "#edc948", "#b07aa1", "#e15759", "#ff9da7");
  private static final List<String> OTHER_COLORS = List.of("#9c755f", "#bab0ac", "#86bcb6", "#d37295", "#8cd17d");

  /** Known verbs in their order, then others by name, then requests without a verb. */
  private static final Comparator<String> VERB_ORDER = Comparator
      .comparing((String verb) -> verb.equals(UserActivity.NONE))
      .thenComparing(verb -> VERBS.contains(verb) ? VERBS.indexOf(verb) : VERBS.size())
      .thenComparing(Comparator.naturalOrder());

  private UserSection() {}

  static void write(StringBuilder html, UserActivity activity, String id) {
    html.append("<section class=\"user\" id=\"").append(id).append("\">\n<h2 class=\"username\">")
        .append(Html.text(activity.user())).append("</h2>\n<p class=\"user-figures\">")
        .append(ReportText.count(activity.total(), "request", "requests")).append(" · ")
        .append(ReportText.count(activity.denials().size(), "denial", "denials")).append(" · ")
        .append(ReportText.count(activity.sessions().size(), "session", "sessions")).append(" · ")
        .append(ReportText.count(activity.allowedSecretReads(), "secret read", "secret reads")).append(" · ")
        .append(ReportText.count(activity.newClusters(), "new cluster", "new clusters")).append("</p>\n");
    requests(html, activity);
    denials(html, activity);
    sessions(html, activity);
    firstAccess(html, activity);
    secretReads(html, activity);
    html.append("</section>\n");
  }

  private static void requests(StringBuilder html, UserActivity activity) {
    html.append("<h3>Requests per cluster and verb</h3>\n");
    SortedMap<String, SortedMap<String, Long>> counts = activity.requestsByClusterAndVerb();
    TreeSet<String> verbSet = new TreeSet<>(VERB_ORDER);
    counts.values().forEach(byVerb -> verbSet.addAll(byVerb.keySet()));
    List<String> verbs = List.copyOf(verbSet);
    List<BarChart.Series> series = new ArrayList<>();
    int other = 0;
    for (String verb : verbs) {
      int known = VERBS.indexOf(verb);
      series.add(new BarChart.Series(orNone(verb, "(no verb)"),
          known >= 0 ? VERB_COLORS.get(known) : OTHER_COLORS.get(other++ % OTHER_COLORS.size())));
    }
    List<BarChart.Bar> bars = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    counts.forEach((cluster, byVerb) -> {
      long[] values = verbs.stream().mapToLong(verb -> byVerb.getOrDefault(verb, 0L)).toArray();
      BarChart.Bar bar = new BarChart.Bar(orNone(cluster, "(no cluster)"), values);
      bars.add(bar);
      List<String> row = new ArrayList<>();
      row.add(Html.text(bar.label()));
      for (long value : values) {
        row.add(Long.toString(value));
      }
      row.add("<strong>" + bar.total() + "</strong>");
      rows.add(row);
    });
    html.append("<figure>").append(BarChart.svg("Requests per cluster and verb", series, bars)).append("</figure>\n");
    List<String> header = new ArrayList<>(List.of("Cluster"));
    series.forEach(verb -> header.add(Html.text(verb.name())));
    header.add("Total");
    Html.table(html, "requests", header, rows);
  }

  private static void denials(StringBuilder html, UserActivity activity) {
    html.append("<h3>Denials</h3>\n");
    list(html, "denials", activity.denials(), "No request was refused in this period.",
        hint(activity, "query", " --denied"),
        List.of("Time", "Cluster", "Verb", "Resource", "Namespace", "Decision", "Reason"),
        denial -> List.of(ReportText.stamp(denial.start()), cell(denial.cluster()), cell(denial.verb()),
            cell(denial.resourceText()), cell(denial.objectRef() == null ? null : denial.objectRef().namespace()),
            decision(denial.decision()), cell(denial.reason())));
  }

  private static void sessions(StringBuilder html, UserActivity activity) {
    html.append("<h3>Exec, attach and port-forward sessions</h3>\n");
    list(html, "sessions", activity.sessions(), "No exec, attach or port-forward session in this period.",
        hint(activity, "sessions", ""), List.of("Start", "End", "Duration", "Cluster", "Pod", "Kind", "Command", "Status"),
        session -> List.of(ReportText.stamp(session.start()),
            session.end() == null ? "<span class=\"open\">no end recorded</span>" : ReportText.stamp(session.end()),
            session.duration() == null ? "unknown" : ReportText.span(session.duration()),
            cell(session.cluster()), cell(session.namespacedName()), Html.text(session.sessionKind()),
            cell(session.sessionDetail()), session.code() == null ? "-" : session.code().toString()));
  }

  private static void firstAccess(StringBuilder html, UserActivity activity) {
    html.append("<h3>First access to each cluster</h3>\n");
    List<List<String>> rows = new ArrayList<>();
    for (UserActivity.FirstAccess first : activity.firstAccess()) {
      AuditedRequest request = first.request();
      rows.add(List.of(Html.text(first.cluster()), ReportText.stamp(request.start()),
          Html.text(orNone(request.verb(), "-") + " " + request.resourceText()), decision(request.decision()),
          first.inPeriod() ? "<span class=\"flag new\">new in this period</span>" : "before this period"));
    }
    if (rows.isEmpty()) {
      html.append("<p class=\"none\">No request named a cluster.</p>\n");
      return;
    }
    Html.table(html, "first-access", List.of("Cluster", "First request", "Request", "Decision", "When"), rows);
  }

  private static void secretReads(StringBuilder html, UserActivity activity) {
    long allowed = activity.allowedSecretReads();
    html.append("<h3>Reads of secrets</h3>\n<p class=\"secret-figures\">")
        .append(ReportText.count(allowed, "read", "reads")).append(" allowed, ")
        .append(ReportText.count(activity.secretReads().size() - allowed, "attempt", "attempts"))
        .append(" refused.</p>\n");
    list(html, "secret-reads", activity.secretReads(), "No get, list or watch on secrets in this period.",
        hint(activity, "query", " --resource secrets"), List.of("Time", "Cluster", "Verb", "Secret", "Decision"),
        read -> List.of(ReportText.stamp(read.start()), cell(read.cluster()), cell(read.verb()),
            Html.text(secret(read)), decision(read.decision())));
  }

  private static void list(StringBuilder html, String cssClass, List<AuditedRequest> requests,
      String none, String hint, List<String> header, Function<AuditedRequest, List<String>> cells) {
    if (requests.isEmpty()) {
      html.append("<p class=\"none\">").append(none).append("</p>\n");
      return;
    }
    Html.table(html, cssClass, header, requests.stream().limit(MAX_ROWS).map(cells).toList());
    if (requests.size() > MAX_ROWS) {
      html.append("<p class=\"more\">").append(requests.size() - MAX_ROWS)
          .append(" more not shown; list them all with <code>").append(hint).append("</code>.</p>\n");
    }
  }

  /** {@code namespace/name}, or what a list or watch covered. */
  private static String secret(AuditedRequest read) {
    String name = read.namespacedName();
    if (name != null) {
      return name;
    }
    String namespace = read.objectRef().namespace();
    return namespace == null || namespace.isEmpty() ? "all, in every namespace" : "all in " + namespace;
  }

  /** The command that lists all of one kind of row, as HTML. */
  private static String hint(UserActivity activity, String command, String options) {
    return Html.text("kgate audit " + command + " --dir DIR --user " + shellWord(activity.user()) + options);
  }

  /** A word a reviewer can paste into a shell: single-quoted. */
  private static String shellWord(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static String decision(String decision) {
    String label;
    String css;
    if (AuditAnnotations.ALLOW.equals(decision)) {
      label = "allowed";
      css = "allow";
    } else if (AuditAnnotations.DENY.equals(decision)) {
      label = "denied";
      css = "deny";
    } else if (AuditAnnotations.UNAUTHENTICATED.equals(decision)) {
      label = "no valid token";
      css = "deny";
    } else if (AuditAnnotations.ERROR.equals(decision)) {
      label = "gateway error";
      css = "error";
    } else {
      return cell(decision);
    }
    return "<span class=\"decision " + css + "\">" + label + "</span>";
  }

  private static String cell(String value) {
    return value == null || value.isEmpty() ? "-" : Html.text(value);
  }

  private static String orNone(String value, String none) {
    return value == null || value.equals(UserActivity.NONE) ? none : value;
  }
}
