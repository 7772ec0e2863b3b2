package dev.kgate.audit.webhook;

import static dev.kgate.audit.webhook.WebhookFixtures.AT;
import static dev.kgate.audit.webhook.WebhookFixtures.events;
import static dev.kgate.audit.webhook.WebhookFixtures.fast;
import static dev.kgate.audit.webhook.WebhookFixtures.keys;
import static dev.kgate.audit.webhook.WebhookFixtures.rejected;
import static dev.kgate.audit.webhook.WebhookFixtures.spooled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receiver goes away and comes back: refused connections, then 5xx, then a restart of the
 * gateway itself. Every event must arrive in the end, in order, and the spool must empty.
 */
class WebhookSinkOutageTest {

  @TempDir
  Path spool;

  private final TestReceiver receiver = TestReceiver.http();

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void everyEventArrivesThoughTheReceiverWasDownAndThenAnswered500ForAWhile() {
    List<AuditEvent> events = events("alice", 0, 800);
    try (LogCapture logs = new LogCapture();
        WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool).withBatchMaxEvents(50))) {
      offer(sink, events.subList(0, 200));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 200);

      receiver.stop();
      offer(sink, events.subList(200, 400));
      await().atMost(Duration.ofSeconds(10)).until(() -> spooled(spool).size() == 4
          && sink.stats().failedAttempts() >= 2);
      assertThat(sink.healthy()).as("a receiver that is down does not stop the gateway while the spool has room")
          .isTrue();

      receiver.answerAll(500);
      receiver.start();
      offer(sink, events.subList(400, 600));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.refusedPosts() >= 3
          && spooled(spool).size() == 8);
      assertThat(receiver.deliveredKeys()).as("nothing got through the 500s").hasSize(200);

      receiver.answerAll(200);
      offer(sink, events.subList(600, 800));
      await().atMost(Duration.ofSeconds(20)).until(() -> receiver.uniqueDeliveredKeys().size() == 800
          && spooled(spool).isEmpty());

      assertThat(logs.lines(Level.WARN)).as("the outage is logged once when it starts")
          .filteredOn(line -> line.contains("unavailable")).hasSize(1);
      assertThat(logs.lines(Level.INFO)).as("and once when it ends")
          .filteredOn(line -> line.contains("takes batches again")).hasSize(1);
    }

    assertThat(receiver.uniqueDeliveredKeys()).as("every event, in the order offered (at least once)")
        .containsExactlyElementsOf(keys(events));
    assertThat(spooled(spool)).isEmpty();
    assertThat(rejected(spool)).as("5xx and refused connections are retried, never set aside").isEmpty();
  }

  @Test
  void aRestartedSinkSendsWhatTheClosedOneSpooledFirstAndInOrder() {
    List<AuditEvent> before = events("alice", 0, 300);
    List<AuditEvent> after = events("alice", 300, 20);
    WebhookOptions options = fast(receiver.url(), spool).withBatchMaxEvents(50)
        .withBatchMaxDelay(Duration.ofSeconds(30));
    receiver.stop();

    long closing;
    try (WebhookSink sink = WebhookSink.open(options)) {
      offer(sink, before);
      await().atMost(Duration.ofSeconds(10)).until(() -> sink.stats().failedAttempts() >= 1);
      closing = System.nanoTime();
    }
    long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
    assertThat(closeMillis).as("close gives up on a receiver that is down instead of waiting out closeTimeout")
        .isLessThan(options.closeTimeout().toMillis());
    assertThat(spooled(spool)).as("all 300 events were spooled at close, 50 a batch").hasSize(6);

    receiver.start();
    try (WebhookSink sink = WebhookSink.open(options.withBatchMaxDelay(Duration.ofMillis(50)))) {
      offer(sink, after);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.uniqueDeliveredKeys().size() == 320
          && spooled(spool).isEmpty());
    }

    List<AuditEvent> all = new ArrayList<>(before);
    all.addAll(after);
    assertThat(receiver.uniqueDeliveredKeys()).as("spooled batches first, then the new ones")
        .containsExactlyElementsOf(keys(all));
  }

  @Test
  void retryAfterIsHonouredWhenItAsksForMoreThanTheBackoff() {
    AtomicInteger answered = new AtomicInteger();
    receiver.answer(request -> answered.getAndIncrement() == 0
        ? new TestReceiver.Answer(503, Map.of("Retry-After", "1"), "busy")
        : TestReceiver.Answer.status(200));
    try (WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool).withMaxBackoff(Duration.ofMillis(100)))) {
      sink.offer(TestEvents.allowedGet("alice", 1, AT));
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 1);
    }

    List<TestReceiver.Post> posts = receiver.posts();
    assertThat(posts).extracting(TestReceiver.Post::status).containsExactly(503, 200);
    long gapMillis = TimeUnit.NANOSECONDS.toMillis(posts.get(1).atNanos() - posts.get(0).atNanos());
    assertThat(gapMillis).as("the retry waited the second the receiver asked for, not the 100 ms backoff")
        .isGreaterThanOrEqualTo(950);
  }

  private static void offer(WebhookSink sink, List<AuditEvent> events) {
    for (AuditEvent event : events) {
      assertThat(sink.offer(event)).isTrue();
    }
  }
}
