package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where {@code query} and {@code tail} print events: an aligned {@link EventTable}, or JSON lines,
 * each the event exactly as the gateway serialized it into the log (an {@code audit.k8s.io/v1}
 * {@code Event}; the chain's own {@code seq} and {@code prevHash} are left off), for {@code jq} and
 * for tools that read Kubernetes audit logs.
 */
final class EventOutput {

  private enum Format { TABLE, JSON }

  private final Format format;
  private final PrintWriter out;
  private EventTable table;

  private EventOutput(Format format, PrintWriter out) {
    this.format = format;
    this.out = out;
  }

  /** Output in {@code table} or {@code json}; any other name is a {@link UsageException}. */
  static EventOutput of(String format, PrintWriter out) {
    Objects.requireNonNull(out, "out");
    for (Format known : Format.values()) {
      if (known.name().toLowerCase(Locale.ROOT).equals(format)) {
        return new EventOutput(known, out);
      }
    }
    throw new UsageException("invalid --format '" + format + "': expected table or json");
  }

  /** The first events; a table fits its columns to them and prints its header first. */
  void start(List<AuditEvent> events) {
    if (format == Format.TABLE) {
      table = EventTable.fitting(events);
      table.printHeader(out);
    }
    more(events);
  }

  /** Later events, in the columns {@link #start} chose. */
  void more(List<AuditEvent> events) {
    if (format == Format.TABLE && table == null) {
      throw new IllegalStateException("start() chooses the columns and must come first");
    }
    for (AuditEvent event : events) {
      if (format == Format.TABLE) {
        table.print(out, event);
      } else {
        out.println(new String(AuditEventJson.write(event), StandardCharsets.UTF_8));
      }
    }
    out.flush();
  }
}
