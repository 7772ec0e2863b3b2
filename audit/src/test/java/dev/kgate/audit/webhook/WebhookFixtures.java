package dev.kgate.audit.webhook;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.testing.TestEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Options, events and spool views shared by the webhook tests. */
final class WebhookFixtures {

  static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");

  private WebhookFixtures() {}

  /** Options with short delays and backoff, so outages play out in a second or two. */
  static WebhookOptions fast(URI url, Path spool) {
    return WebhookOptions.defaults(url, spool)
        .withBatchMaxDelay(Duration.ofMillis(50))
        .withMaxBackoff(Duration.ofMillis(200))
        .withConnectTimeout(Duration.ofSeconds(2))
        .withRequestTimeout(Duration.ofSeconds(5))
        .withCloseTimeout(Duration.ofSeconds(2));
  }

  /** {@code count} distinct events of one user, numbered from {@code from}. */
  static List<AuditEvent> events(String user, int from, int count) {
    List<AuditEvent> events = new ArrayList<>();
    for (int n = from; n < from + count; n++) {
      events.add(TestEvents.allowedGet(user, n, AT));
    }
    return events;
  }

  /** What a receiver dedupes by. */
  static String key(AuditEvent event) {
    return event.auditId() + "/" + event.stage();
  }

  static List<String> keys(List<AuditEvent> events) {
    return events.stream().map(WebhookFixtures::key).toList();
  }

  /** Batch files waiting in the spool (not those in rejected/). */
  static List<Path> spooled(Path spool) {
    return files(spool);
  }

  static List<Path> rejected(Path spool) {
    return files(spool.resolve(Spool.REJECTED));
  }

  private static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
