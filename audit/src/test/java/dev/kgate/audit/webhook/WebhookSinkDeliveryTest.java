package dev.kgate.audit.webhook;

import static dev.kgate.audit.webhook.WebhookFixtures.AT;
import static dev.kgate.audit.webhook.WebhookFixtures.events;
import static dev.kgate.audit.webhook.WebhookFixtures.fast;
import static dev.kgate.audit.webhook.WebhookFixtures.keys;
import static dev.kgate.audit.webhook.WebhookFixtures.rejected;
import static dev.kgate.audit.webhook.WebhookFixtures.spooled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A receiver that is up: what arrives, in what shape, in batches of what size and when. */
class WebhookSinkDeliveryTest {

  @TempDir
  Path spool;

  private final TestReceiver receiver = TestReceiver.http();

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void everyEventReachesAnAnsweringReceiverExactlyOnceInTheOrderOffered() {
    List<AuditEvent> events = events("alice@example.com", 0, 1234);
    try (WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool).withBatchMaxEvents(100))) {
      for (AuditEvent event : events) {
        assertThat(sink.offer(event)).as("the sink takes every event").isTrue();
      }
      await().atMost(Duration.ofSeconds(20))
          .until(() -> receiver.deliveredKeys().size() >= events.size() && spooled(spool).isEmpty());
      assertThat(sink.stats().offered()).isEqualTo(events.size());
      assertThat(sink.stats().dropped()).isZero();
    }

    assertThat(receiver.deliveredKeys()).as("each auditID/stage once, in the order offered")
        .containsExactlyElementsOf(keys(events));
    assertThat(receiver.refusedPosts()).isZero();
    assertThat(spooled(spool)).as("delivered batches leave the spool").isEmpty();
    assertThat(rejected(spool)).isEmpty();
  }

  @Test
  void eachPostIsAnAuditEventListWhoseItemsAreTheEventsAsTheFileLogWritesThem() {
    List<AuditEvent> events = List.of(TestEvents.allowedGet("alice", 1, AT),
        TestEvents.deniedExec("alice", 2, AT), TestEvents.unauthenticated("10.1.2.3", 3, AT));
    try (WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool)
        .withBatchMaxDelay(Duration.ofSeconds(1)))) {
      events.forEach(sink::offer);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.posts().size() == 1);
    }

    TestReceiver.Post post = receiver.posts().get(0);
    assertThat(post.contentType()).isEqualTo("application/json");
    JsonNode list = post.json();
    assertThat(list.path("kind").stringValue()).isEqualTo("EventList");
    assertThat(list.path("apiVersion").stringValue()).isEqualTo("audit.k8s.io/v1");
    assertThat(list.path("metadata").isObject()).as("metadata is an empty object").isTrue();
    assertThat(list.path("metadata").size()).isZero();
    List<JsonNode> items = new ArrayList<>();
    list.path("items").values().forEach(items::add);
    assertThat(items).hasSize(3);
    for (int i = 0; i < events.size(); i++) {
      assertThat(items.get(i)).as("item %d is the event as AuditEventJson writes it", i)
          .isEqualTo(AuditEventJson.MAPPER.readTree(AuditEventJson.write(events.get(i))));
      assertThat(AuditEventJson.read(items.get(i))).isEqualTo(events.get(i));
      assertThat(items.get(i).has("seq") || items.get(i).has("prevHash"))
          .as("no hash-chain fields").isFalse();
    }
  }

  @Test
  void noBatchHoldsMoreThanBatchMaxEvents() {
    List<AuditEvent> events = events("alice", 0, 250);
    // A long delay: batches must close on their size, not on time.
    try (WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool)
        .withBatchMaxEvents(25).withBatchMaxDelay(Duration.ofSeconds(30)))) {
      events.forEach(sink::offer);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 250);
    }

    assertThat(receiver.posts()).hasSize(10);
    assertThat(receiver.posts()).allSatisfy(post -> assertThat(post.keys()).hasSize(25));
  }

  @Test
  void noBatchBodyIsLargerThanBatchMaxBytes() {
    long limit = WebhookOptions.MIN_BATCH_MAX_BYTES;
    List<AuditEvent> events = events("alice", 0, 100);
    long total = events.stream().mapToLong(event -> AuditEventJson.write(event).length).sum();
    try (WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool)
        .withBatchMaxBytes(limit).withBatchMaxDelay(Duration.ofSeconds(30)))) {
      events.forEach(sink::offer);
      // The last, partial batch goes out when the sink closes.
    }

    assertThat(receiver.deliveredKeys()).containsExactlyElementsOf(keys(events));
    assertThat(receiver.posts()).allSatisfy(post ->
        assertThat((long) post.body().length).as("body size").isLessThanOrEqualTo(limit));
    assertThat((long) receiver.posts().size()).as("the events need several batches")
        .isGreaterThanOrEqualTo((total + limit - 1) / limit);
  }

  @Test
  void aLoneEventWaitsBatchMaxDelayForCompanyAndThenGoes() {
    Duration delay = Duration.ofMillis(400);
    try (WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool).withBatchMaxDelay(delay))) {
      long offeredAt = System.nanoTime();
      sink.offer(TestEvents.allowedGet("alice", 1, AT));
      await().atMost(Duration.ofSeconds(5)).until(() -> receiver.posts().size() == 1);

      long waitedMillis = TimeUnit.NANOSECONDS.toMillis(receiver.posts().get(0).atNanos() - offeredAt);
      assertThat(waitedMillis).as("the batch stayed open for batchMaxDelay")
          .isGreaterThanOrEqualTo(delay.toMillis() - 20)
          .isLessThan(delay.toMillis() + 3000);
    }
  }
}
