package dev.kgate.cli.audit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code kgate audit …} in-process through picocli, on a given clock, and keeps what it printed. */
record AuditRun(int exitCode, String out, String err) {

  static AuditRun of(Clock clock, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine audit = commandLine(clock, new PrintWriter(out, true), new PrintWriter(err, true));
    int exitCode = audit.execute(args);
    return new AuditRun(exitCode, out.toString(), err.toString());
  }

  static AuditRun of(String... args) {
    return of(Clock.systemUTC(), args);
  }

  static CommandLine commandLine(Clock clock, PrintWriter out, PrintWriter err) {
    CommandLine audit = new CommandLine(new AuditCommand(clock));
    audit.setOut(out);
    audit.setErr(err);
    return audit;
  }

  List<String> outLines() {
    return out.lines().toList();
  }

  /**
   * One column of a table, read at the header's column positions; a value out of its column
   * comes back cut or mixed with its neighbour, so alignment is checked too.
   */
  static List<String> column(String table, String name) {
    List<String> lines = table.lines().toList();
    String header = lines.get(0);
    List<Integer> starts = new ArrayList<>();
    for (String label : EventTable.HEADER) {
      starts.add(header.indexOf(label));
    }
    int index = EventTable.HEADER.indexOf(name);
    List<String> values = new ArrayList<>();
    for (String row : lines.subList(1, lines.size())) {
      int start = starts.get(index);
      int end = index + 1 < starts.size() ? Math.min(row.length(), starts.get(index + 1)) : row.length();
      if (start > 0 && row.charAt(start - 1) != ' ') {
        throw new AssertionError("column " + name + " does not start at " + start + " in: " + row);
      }
      values.add(row.substring(start, end).strip());
    }
    return values;
  }
}
