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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch the receiver refuses for good is set aside once, and does not hold back the others. */
class WebhookSinkRejectionTest {

  @TempDir
  Path spool;

  private final TestReceiver receiver = TestReceiver.http();

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void aBatchRefusedWith400IsKeptInRejectedLoggedOnceAndTheRestFlows() throws Exception {
    List<AuditEvent> events = events("alice", 0, 50);
    AuditEvent poison = events.get(23);
    receiver.answer(request -> request.contains("\"auditID\":\"" + poison.auditId() + "\"")
        ? new TestReceiver.Answer(400, Map.of(), "cannot parse item 3\nERROR forged log line")
        : TestReceiver.Answer.status(200));
    try (LogCapture logs = new LogCapture();
        WebhookSink sink = WebhookSink.open(fast(receiver.url(), spool).withBatchMaxEvents(10)
            .withBatchMaxDelay(Duration.ofSeconds(30)))) {
      events.forEach(sink::offer);
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 40
          && rejected(spool).size() == 1 && spooled(spool).isEmpty());

      assertThat(sink.stats().rejectedBatches()).isEqualTo(1);
      List<String> refusals = logs.lines(Level.ERROR).stream()
          .filter(line -> line.contains("refused batch")).toList();
      assertThat(refusals).as("one ERROR for the refused batch").hasSize(1);
      assertThat(refusals.get(0)).contains("400").contains("cannot parse item 3")
          .as("the receiver's answer cannot start a log line of its own").doesNotContain("\n");
    }

    List<AuditEvent> expected = new ArrayList<>(events.subList(0, 20));
    expected.addAll(events.subList(30, 50));
    assertThat(receiver.deliveredKeys()).as("every other batch, in order").containsExactlyElementsOf(keys(expected));
    assertThat(receiver.posts()).filteredOn(post -> post.status() == 400)
        .as("the refused batch is not retried").hasSize(1);
    TestReceiver.Post refused = receiver.posts().stream().filter(post -> post.status() == 400).findFirst().orElseThrow();
    assertThat(refused.keys()).containsExactlyElementsOf(keys(events.subList(20, 30)));
    assertThat(Files.readAllBytes(rejected(spool).get(0))).as("rejected/ keeps the exact body")
        .isEqualTo(refused.body());
  }
}
