package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.query.AuditQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit query}: the events that match every given filter, oldest first, as a table or
 * as JSON lines. It reads the log as it is and does not check it; {@code verify} does that.
 */
@Command(name = "query", description = "Print the audit events that match every given filter, oldest first.")
final class QueryCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;
  @ParentCommand private AuditCommand parent;
  @Mixin private AuditDirectory directory;
  @Mixin private EventFilterOptions filters;

  @Mixin private OutputFormatOption format;

  @Override
  public Integer call() throws IOException {
    try {
      return query();
    } catch (UsageException usage) {
      return usage.report(spec.commandLine().getErr());
    }
  }

  private int query() throws IOException {
    EventSelection selection = filters.selection(parent.clock());
    EventOutput output = format.output(spec.commandLine().getOut());
    Path dir = directory.existing();
    List<AuditEvent> events = new AuditQuery(dir).find(selection.filter()).stream()
        .filter(selection::test).toList();
    if (events.isEmpty()) {
      spec.commandLine().getErr().println("No matching events.");
      return AuditCommand.EXIT_OK;
    }
    output.start(events);
    return AuditCommand.EXIT_OK;
  }
}
