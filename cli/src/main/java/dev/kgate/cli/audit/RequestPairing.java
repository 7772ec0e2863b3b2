package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Stage;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns audit events into {@link AuditedRequest}s, so that a long-running request counts once: a
 * {@code RequestReceived} event waits for the event with the same audit id that ends it, and every
 * other event is a request of its own. {@link AuditQuery#scan} hands events over chain by chain in
 * chain order, and both events of a request are in its user's chain, so a start is always seen
 * before its end. Only the starts still waiting are held in memory.
 */
final class RequestPairing implements Consumer<AuditEvent> {

  private final Consumer<AuditedRequest> sink;
  private final Map<String, AuditEvent> started = new HashMap<>();

  RequestPairing(Consumer<AuditedRequest> sink) {
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Every request in {@code dir} whose events pass {@code filter}, handed to {@code sink}. */
  static void read(Path dir, AuditFilter filter, Consumer<AuditedRequest> sink) throws IOException {
    RequestPairing pairing = new RequestPairing(sink);
    new AuditQuery(dir).scan(filter, pairing);
    pairing.finish();
  }

  @Override
  public void accept(AuditEvent event) {
    if (event.stage() == Stage.RequestReceived || event.stage() == Stage.ResponseStarted) {
      // ResponseStarted (the gateway does not write it) says no more than RequestReceived did.
      AuditEvent earlier = started.get(event.auditId());
      if (earlier == null) {
        started.put(event.auditId(), event);
      } else if (event.stage() == Stage.RequestReceived) {
        sink.accept(AuditedRequest.of(earlier)); // an audit id used twice: the first start never ended
        started.put(event.auditId(), event);
      }
      return;
    }
    AuditEvent start = started.remove(event.auditId());
    sink.accept(start == null ? AuditedRequest.of(event) : AuditedRequest.of(start, event));
  }

  /** Hands on the requests whose end is not in the log, oldest first. */
  void finish() {
    started.values().stream()
        .sorted(Comparator.comparing(AuditEvent::stageTimestamp).thenComparing(AuditEvent::auditId))
        .map(AuditedRequest::of)
        .forEach(sink);
    started.clear();
  }
}
