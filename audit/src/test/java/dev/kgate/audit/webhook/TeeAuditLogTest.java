package dev.kgate.audit.webhook;

import static dev.kgate.audit.webhook.WebhookFixtures.events;
import static dev.kgate.audit.webhook.WebhookFixtures.fast;
import static dev.kgate.audit.webhook.WebhookFixtures.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditLog;
import dev.kgate.audit.Durability;
import dev.kgate.audit.file.FileAuditLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TeeAuditLogTest {

  @TempDir
  Path dir;

  private final TestReceiver receiver = TestReceiver.http();

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void everyEventTheFileLogWroteReachesTheReceiver() throws Exception {
    List<AuditEvent> events = events("alice", 0, 20);
    FileAuditLog file = FileAuditLog.open(FileAuditLog.Options.defaults(dir.resolve("audit"))
        .withFsyncInterval(Duration.ofMillis(5)));
    try (TeeAuditLog log = new TeeAuditLog(file, WebhookSink.open(fast(receiver.url(), dir.resolve("spool"))))) {
      assertThat(log.writable()).isTrue();
      for (AuditEvent event : events) {
        assertThat(log.append(event).get(5, TimeUnit.SECONDS).written()).isTrue();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 20);
    }

    assertThat(receiver.deliveredKeys()).containsExactlyElementsOf(keys(events));
    assertThat(file.writable()).as("closing the tee closed the file log").isFalse();
  }

  @Test
  void anEventThePrimaryDidNotWriteIsNotSent() throws Exception {
    List<AuditEvent> events = events("alice", 0, 10);
    List<AuditEvent> written = new ArrayList<>();
    AuditLog primary = new StubLog(true) {
      private int calls;

      @Override
      public CompletableFuture<Durability> append(AuditEvent event) {
        boolean write = calls++ % 2 == 0;
        if (write) {
          written.add(event);
        }
        return CompletableFuture.completedFuture(write
            ? new Durability.Written("alice", calls) : new Durability.NotWritten("disk full"));
      }
    };
    try (TeeAuditLog log = new TeeAuditLog(primary, WebhookSink.open(fast(receiver.url(), dir.resolve("spool"))))) {
      for (AuditEvent event : events) {
        log.append(event).get(5, TimeUnit.SECONDS);
      }
    } // closing flushes the sink while the receiver answers

    assertThat(written).hasSize(5);
    assertThat(receiver.deliveredKeys()).containsExactlyElementsOf(keys(written));
  }

  @Test
  void writableNeedsBothThePrimaryAndAHealthySink() {
    WebhookSink sink = WebhookSink.open(fast(receiver.url(), dir.resolve("spool")));
    TeeAuditLog healthy = new TeeAuditLog(new StubLog(true), sink);
    TeeAuditLog primaryDown = new TeeAuditLog(new StubLog(false), sink);
    assertThat(healthy.writable()).isTrue();
    assertThat(primaryDown.writable()).isFalse();

    sink.close();

    assertThat(healthy.writable()).as("a closed sink is not healthy").isFalse();
  }

  /** A primary log that writes nothing and answers writable as told. */
  private static class StubLog implements AuditLog {
    private final boolean writable;

    StubLog(boolean writable) {
      this.writable = writable;
    }

    @Override
    public CompletableFuture<Durability> append(AuditEvent event) {
      return CompletableFuture.completedFuture(new Durability.NotWritten("stub"));
    }

    @Override
    public boolean writable() {
      return writable;
    }

    @Override
    public void close() {}
  }
}
