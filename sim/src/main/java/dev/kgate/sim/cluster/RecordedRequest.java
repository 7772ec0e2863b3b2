package dev.kgate.sim.cluster;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A request as the simulated API server received it, before anything was done with it. Header
 * lines are kept in arrival order and one by one, so a test can see that a proxy sent two
 * {@code Impersonate-Group} lines rather than one comma-joined value.
 *
 * @param method HTTP method
 * @param uri path and query as sent
 * @param protocol {@code "h2"} or {@code "http/1.1"}
 * @param headerLines every header line in order
 * @param bodySize request body size in bytes
 */
public record RecordedRequest(
    String method, String uri, String protocol, List<HeaderLine> headerLines, long bodySize) {

  public RecordedRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(protocol, "protocol");
    headerLines = List.copyOf(headerLines);
  }

  /** The values of every line of header {@code name} (case-insensitive), in order. */
  public List<String> headers(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return headerLines.stream()
        .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(lower))
        .map(HeaderLine::value)
        .toList();
  }

  /** The first value of header {@code name}, or null. */
  public String header(String name) {
    List<String> values = headers(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** The path without the query string. */
  public String path() {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  /**
   * One header line.
   *
   * @param name header name as received (h2 names are lower case)
   * @param value header value
   */
  public record HeaderLine(String name, String value) {
    public HeaderLine {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
