package dev.kgate.audit.webhook;

import static dev.kgate.audit.webhook.WebhookFixtures.events;
import static dev.kgate.audit.webhook.WebhookFixtures.fast;
import static dev.kgate.audit.webhook.WebhookFixtures.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS to the receiver: the CA bundle, host name verification, and the bearer token. */
class WebhookSinkTlsTest {

  private static final String FIRST_TOKEN = "first-token-Zq8xV3";
  private static final String SECOND_TOKEN = "second-token-Kp2wR7";

  @TempDir
  Path dir;

  @Test
  void theBearerTokenIsSentReReadWhenItsFileChangesAndNeverLogged() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.forHost("localhost");
    Path ca = certificate.writePem(dir.resolve("ca.pem"));
    Path tokenFile = Files.writeString(dir.resolve("token"), FIRST_TOKEN + "\n");
    AtomicReference<String> expected = new AtomicReference<>(FIRST_TOKEN);
    try (TestReceiver receiver = TestReceiver.https(certificate.serverContext());
        LogCapture logs = new LogCapture()) {
      receiver.answer(request -> TestReceiver.Answer.status(
          ("Bearer " + expected.get()).equals(request.authorization()) ? 200 : 401));
      Path spool = dir.resolve("spool");
      try (WebhookSink sink = WebhookSink.open(fast(receiver.url("localhost"), spool)
          .withCaFile(ca).withTokenFile(tokenFile))) {
        events("alice", 0, 10).forEach(sink::offer);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 10);

        expected.set(SECOND_TOKEN); // the receiver rotated its token; the file still has the old one
        events("alice", 10, 10).forEach(sink::offer);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.refusedPosts() >= 3);
        assertThat(rejected(spool)).as("401 is about credentials, not this batch: retried").isEmpty();

        Files.writeString(tokenFile, SECOND_TOKEN);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveredKeys().size() == 20);
      }

      assertThat(receiver.posts()).filteredOn(TestReceiver.Post::accepted)
          .extracting(TestReceiver.Post::authorization)
          .containsOnly("Bearer " + FIRST_TOKEN, "Bearer " + SECOND_TOKEN);
      assertThat(logs.lines(Level.WARN)).as("the 401s were logged").anyMatch(line -> line.contains("401"));
      assertThat(logs.lines()).as("no log line holds a token")
          .noneMatch(line -> line.contains(FIRST_TOKEN) || line.contains(SECOND_TOKEN));
    }
  }

  @Test
  void aCertificateForAnotherHostNameIsNotAccepted() {
    SelfSignedCertificate certificate = SelfSignedCertificate.forHost("elsewhere.example");
    assertNoRequestGetsThrough(certificate, true);
  }

  @Test
  void withoutTheCaBundleTheReceiversCertificateIsNotTrusted() {
    SelfSignedCertificate certificate = SelfSignedCertificate.forHost("localhost");
    assertNoRequestGetsThrough(certificate, false);
  }

  @Test
  void aCaFileWithoutCertificatesIsRefusedAtOpen() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    WebhookOptions options = fast(URI.create("https://localhost:1/k8s-audit"), dir.resolve("spool"))
        .withCaFile(ca);

    assertThatThrownBy(() -> WebhookSink.open(options))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("caFile:");
  }

  private void assertNoRequestGetsThrough(SelfSignedCertificate certificate, boolean trustIt) {
    try (TestReceiver receiver = TestReceiver.https(certificate.serverContext());
        LogCapture logs = new LogCapture()) {
      WebhookOptions options = fast(receiver.url("localhost"), dir.resolve("spool"));
      if (trustIt) {
        options = options.withCaFile(certificate.writePem(dir.resolve("ca.pem")));
      }
      try (WebhookSink sink = WebhookSink.open(options)) {
        sink.offer(events("alice", 0, 1).get(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.stats().failedAttempts() >= 2);
        assertThat(receiver.posts()).as("the TLS handshake failed before any request").isEmpty();
        assertThat(sink.stats().spooledBatches()).as("the batch waits in the spool").isEqualTo(1);
      }
      assertThat(logs.lines(Level.WARN)).anyMatch(line -> line.contains("SSLHandshakeException"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
