package dev.kgate.cli.audit;

import dev.kgate.audit.query.AuditFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit sessions}: the exec, attach and port-forward sessions the gateway let through,
 * oldest first, one line each with start, user, cluster, pod, kind, duration, audit id and what it
 * ran. A session still open, or cut off by a gateway that stopped, has no end and says so. Refused
 * attempts are not sessions; {@code query --denied --resource pods/exec} lists them. RECORDING says
 * whether the gateway recorded the session (exec and attach) and the file is there to replay with
 * {@code kgate audit play}: {@code yes}, {@code missing} (named by the event, not on disk), or
 * {@code -}.
 */
@Command(name = "sessions", description = "List the exec, attach and port-forward sessions, oldest first.")
final class SessionsCommand implements Callable<Integer> {

  static final List<String> HEADER =
      List.of("START", "USER", "CLUSTER", "POD", "KIND", "DURATION", "AUDIT-ID", "RECORDING", "COMMAND");

  private static final String GAP = "  ";
  private static final String NONE = "-";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Spec private CommandSpec spec;
  @ParentCommand private AuditCommand parent;
  @Mixin private AuditDirectory directory;
  @Mixin private ScopeOptions scope;

  @Override
  public Integer call() throws IOException {
    try {
      return sessions();
    } catch (UsageException usage) {
      return usage.report(spec.commandLine().getErr());
    }
  }

  private int sessions() throws IOException {
    TimeWindow window = scope.window(parent.clock());
    Path dir = directory.existing();
    List<AuditedRequest> sessions = new ArrayList<>();
    // Both events of a session started in the window are stamped at or after its start.
    AuditFilter filter = AuditFilter.any().withUser(scope.user()).withSince(window.since());
    RequestPairing.read(dir, filter, request -> {
      if (request.sessionKind() != null && window.contains(request.start())) {
        sessions.add(request);
      }
    });
    if (sessions.isEmpty()) {
      spec.commandLine().getErr().println("No matching sessions.");
      return AuditCommand.EXIT_OK;
    }
    sessions.sort(UserActivity.OLDEST_FIRST);
    print(spec.commandLine().getOut(), sessions.stream().map(session -> cells(session, dir)).toList());
    return AuditCommand.EXIT_OK;
  }

  /** One session's cells, in {@link #HEADER} order, safe for a terminal. */
  static List<String> cells(AuditedRequest session, Path dir) {
    return List.of(
        TIME.format(session.start()),
        cell(session.user()),
        cell(session.cluster()),
        cell(session.namespacedName()),
        session.sessionKind(),
        session.duration() == null ? "no end" : ReportText.span(session.duration()).replace(" ", ""),
        cell(session.auditId()),
        recording(session, dir),
        cell(session.sessionDetail()));
  }

  private static String recording(AuditedRequest session, Path dir) {
    if (session.recording() == null) {
      return NONE;
    }
    return SessionFiles.inside(dir, session.recording()) != null ? "yes" : "missing";
  }

  private static String cell(String value) {
    return value == null || value.isEmpty() ? NONE : TerminalText.safe(value);
  }

  /** The header and the rows, each column as wide as its widest cell. */
  private static void print(PrintWriter out, List<List<String>> rows) {
    int[] widths = HEADER.stream().mapToInt(String::length).toArray();
    for (List<String> row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    out.println(line(HEADER, widths));
    rows.forEach(row -> out.println(line(row, widths)));
    out.flush();
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder(128);
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(widths[i] - cells.get(i).length())).append(GAP);
      }
    }
    return line.toString();
  }
}
