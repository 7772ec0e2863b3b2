package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.ObjectReference;
import java.io.PrintWriter;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;

/**
 * Events as a table for people: time, user, cluster, verb, resource/name, namespace, decision and
 * status code, in columns as wide as the widest value of the first batch (later rows, from
 * {@code tail -f}, keep those columns and only push a longer value further right).
 *
 * <p>Cells go through {@link TerminalText#safe}: an attacker chooses some of these values.
 */
final class EventTable {

  static final List<String> HEADER =
      List.of("TIME", "USER", "CLUSTER", "VERB", "RESOURCE", "NAMESPACE", "DECISION", "CODE");

  private static final String GAP = "  ";
  private static final String NONE = "-";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private final int[] widths;

  private EventTable(int[] widths) {
    this.widths = widths;
  }

  /** A table whose columns fit the header and these events. */
  static EventTable fitting(Collection<AuditEvent> events) {
    int[] widths = HEADER.stream().mapToInt(String::length).toArray();
    for (AuditEvent event : events) {
      List<String> cells = cells(event);
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], cells.get(i).length());
      }
    }
    return new EventTable(widths);
  }

  void printHeader(PrintWriter out) {
    out.println(row(HEADER));
  }

  void print(PrintWriter out, AuditEvent event) {
    out.println(row(cells(event)));
  }

  private String row(List<String> cells) {
    StringBuilder line = new StringBuilder(128);
    for (int i = 0; i < cells.size(); i++) {
      line.append(cells.get(i));
      if (i < cells.size() - 1) {
        line.append(" ".repeat(Math.max(0, widths[i] - cells.get(i).length()))).append(GAP);
      }
    }
    return line.toString();
  }

  /** One event's cells, in {@link #HEADER} order. */
  static List<String> cells(AuditEvent event) {
    ObjectReference ref = event.objectRef();
    return List.of(
        TIME.format(event.stageTimestamp()),
        cell(event.user().username()),
        cell(event.cluster()),
        cell(event.verb()),
        cell(resource(event)),
        cell(ref == null ? null : ref.namespace()),
        cell(event.decision()),
        event.responseStatus() == null ? NONE : Integer.toString(event.responseStatus().code()));
  }

  /**
   * {@code resource/name/subresource}, the way the request path names it ({@code pods/web-0},
   * {@code pods/pay-0/exec}, {@code deployments} for a list); the request path when the request was
   * about no object (discovery, or refused before it was parsed).
   */
  private static String resource(AuditEvent event) {
    ObjectReference ref = event.objectRef();
    if (ref == null || ref.resource() == null) {
      String uri = event.requestUri();
      int query = uri.indexOf('?');
      return query < 0 ? uri : uri.substring(0, query);
    }
    StringBuilder text = new StringBuilder(ref.resource());
    if (ref.name() != null && !ref.name().isEmpty()) {
      text.append('/').append(ref.name());
    }
    if (ref.subresource() != null && !ref.subresource().isEmpty()) {
      text.append('/').append(ref.subresource());
    }
    return text.toString();
  }

  private static String cell(String value) {
    return value == null || value.isEmpty() ? NONE : TerminalText.safe(value);
  }
}
