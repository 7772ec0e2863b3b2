package dev.kgate.audit.webhook;

import static dev.kgate.audit.webhook.WebhookFixtures.events;
import static dev.kgate.audit.webhook.WebhookFixtures.fast;
import static dev.kgate.audit.webhook.WebhookFixtures.keys;
import static dev.kgate.audit.webhook.WebhookFixtures.rejected;
import static dev.kgate.audit.webhook.WebhookFixtures.spooled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.kgate.audit.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool is bounded. Before it overflows the sink says it is not healthy, so a fail-closed
 * gateway stops taking requests; what was offered still arrives once the receiver is back.
 */
class WebhookSpoolLimitTest {

  private static final long BATCH_BYTES = WebhookOptions.MIN_BATCH_MAX_BYTES;
  private static final long SPOOL_BYTES = 4 * BATCH_BYTES;

  @TempDir
  Path spool;

  private final TestReceiver receiver = TestReceiver.http();

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private WebhookOptions smallSpool() {
    return fast(receiver.url(), spool).withBatchMaxEvents(5).withBatchMaxBytes(BATCH_BYTES)
        .withSpoolMaxBytes(SPOOL_BYTES);
  }

  @Test
  void aFullSpoolMakesTheSinkUnhealthyAndEverythingOfferedArrivesOnceTheReceiverIsBack() {
    receiver.stop();
    List<AuditEvent> offered = new ArrayList<>();
    try (LogCapture logs = new LogCapture(); WebhookSink sink = WebhookSink.open(smallSpool())) {
      int n = fillUntilUnhealthy(sink);
      offered.addAll(events("alice", 0, n));
      // The gateway refuses requests now, but their own (denial) events still come in.
      List<AuditEvent> late = events("alice", n, 30);
      late.forEach(event -> assertThat(sink.offer(event)).isTrue());
      offered.addAll(late);
      await().atMost(Duration.ofSeconds(5)).until(() -> logs.lines(Level.ERROR).stream()
          .anyMatch(line -> line.contains("is full")));

      assertThat(sink.healthy()).isFalse();
      assertThat(bytesIn(spool)).as("the spool stays within spoolMaxBytes").isLessThanOrEqualTo(SPOOL_BYTES);
      assertThat(sink.stats().dropped()).as("events wait in memory, none dropped").isZero();

      receiver.start();
      await().atMost(Duration.ofSeconds(20)).until(() ->
          receiver.uniqueDeliveredKeys().size() == offered.size() && sink.healthy());
      assertThat(logs.lines(Level.INFO)).anyMatch(line -> line.contains("has room again"));
    }
    assertThat(receiver.uniqueDeliveredKeys()).containsExactlyElementsOf(keys(offered));
    assertThat(spooled(spool)).isEmpty();
  }

  @Test
  void whenTheMemoryQueueIsFullTooOfferRefusesAndCountsTheDrop() {
    receiver.stop();
    try (WebhookSink sink = WebhookSink.open(smallSpool().withQueueCapacity(10))) {
      int n = fillUntilUnhealthy(sink);
      int late = 0;
      while (sink.offer(events("alice", n + late, 1).get(0))) {
        late++;
        assertThat(late).as("what still fits the spool, one batch in hand and 10 queued").isLessThanOrEqualTo(60);
      }
      assertThat(late).as("events beyond the spool wait in memory first").isGreaterThanOrEqualTo(10);
      assertThat(sink.healthy()).isFalse();
      assertThat(sink.stats().dropped()).isEqualTo(1);
      assertThat(bytesIn(spool)).isLessThanOrEqualTo(SPOOL_BYTES);
    }
  }

  @Test
  void rejectedBatchesCountTowardTheBoundUntilAnOperatorRemovesThem() throws IOException {
    receiver.answerAll(404);
    try (WebhookSink sink = WebhookSink.open(smallSpool())) {
      int n = 0;
      while (sink.healthy()) {
        assertThat(n).as("the spool should be full long before this").isLessThan(500);
        events("alice", n, 5).forEach(sink::offer);
        n += 5;
        int batches = n / 5;
        await().atMost(Duration.ofSeconds(5))
            .until(() -> rejected(spool).size() == batches || !sink.healthy());
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> spooled(spool).isEmpty());
      assertThat(sink.healthy()).as("refused batches alone filled the spool").isFalse();

      for (Path file : rejected(spool)) {
        Files.delete(file);
      }
      await().atMost(Duration.ofSeconds(5)).until(sink::healthy);
    }
  }

  /**
   * Offers one batch (5 events) at a time while the receiver is down, each once the previous one
   * is spooled, until the sink reports unhealthy; returns the number of events offered.
   */
  private int fillUntilUnhealthy(WebhookSink sink) {
    int n = 0;
    while (sink.healthy()) {
      assertThat(n).as("the spool should be full long before this").isLessThan(500);
      events("alice", n, 5).forEach(event -> assertThat(sink.offer(event)).isTrue());
      n += 5;
      int batches = n / 5;
      await().atMost(Duration.ofSeconds(5))
          .until(() -> spooled(spool).size() == batches || !sink.healthy());
    }
    return n;
  }

  private static long bytesIn(Path spool) {
    List<Path> files = new ArrayList<>(spooled(spool));
    files.addAll(rejected(spool));
    long bytes = 0;
    for (Path file : files) {
      try {
        bytes += Files.size(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }
}
