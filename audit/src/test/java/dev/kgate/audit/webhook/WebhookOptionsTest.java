package dev.kgate.audit.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookOptionsTest {

  private static final Path SPOOL = Path.of("/var/lib/kgate/audit/webhook-spool");

  @Test
  void theDefaultsAreTheDocumentedOnes() {
    WebhookOptions options = WebhookOptions.defaults(URI.create("https://falco.falco.svc:9765/k8s-audit"), SPOOL);

    assertThat(options.batchMaxEvents()).isEqualTo(500);
    assertThat(options.batchMaxDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.batchMaxBytes()).isEqualTo(4L * 1024 * 1024);
    assertThat(options.spoolMaxBytes()).isEqualTo(1024L * 1024 * 1024);
    assertThat(options.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.caFile()).isNull();
    assertThat(options.tokenFile()).isNull();
  }

  @Test
  void everyProblemIsReportedAtOnceEachNamingItsField() {
    assertThatThrownBy(() -> new WebhookOptions(URI.create("ftp://files.example/audit"), null, null, 0,
        1024, Duration.ZERO, null, 10, Duration.ofSeconds(-1), null, Duration.ZERO,
        Duration.ofSeconds(-1), 0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url: must be http or https")
        .hasMessageContaining("spoolDir: required")
        .hasMessageContaining("batchMaxEvents:")
        .hasMessageContaining("batchMaxBytes:")
        .hasMessageContaining("spoolMaxBytes:")
        .hasMessageContaining("batchMaxDelay:")
        .hasMessageContaining("connectTimeout:")
        .hasMessageContaining("requestTimeout:")
        .hasMessageContaining("maxBackoff:")
        .hasMessageContaining("closeTimeout:")
        .hasMessageContaining("queueCapacity:")
        .hasMessageContaining("clock:");
  }

  @Test
  void aTokenOrCaBundleNeedsHttps() {
    WebhookOptions clear = WebhookOptions.defaults(URI.create("http://fluent-bit.logging.svc:9880/kgate.audit"), SPOOL);

    assertThatThrownBy(() -> clear.withTokenFile(Path.of("/var/run/secrets/token")))
        .hasMessageContaining("tokenFile: needs an https url");
    assertThatThrownBy(() -> clear.withCaFile(Path.of("/etc/kgate/ca.pem")))
        .hasMessageContaining("caFile: needs an https url");
  }

  @Test
  void credentialsInTheUrlAreRefusedSinceUrlsGetLogged() {
    assertThatThrownBy(() -> WebhookOptions.defaults(URI.create("https://kgate:s3cret@siem.example/in"), SPOOL))
        .hasMessageContaining("url: must not carry user info");
  }

  @Test
  void theLoggedTargetLeavesOutTheQueryWhereSomeReceiversTakeAnApiKey() {
    WebhookOptions options = WebhookOptions.defaults(URI.create("https://siem.example:8443/in?apikey=abc123"), SPOOL);

    assertThat(options.target()).isEqualTo("https://siem.example:8443/in");
  }

  @Test
  void aSpoolMustHoldTwoWholeBatches() {
    WebhookOptions options = WebhookOptions.defaults(URI.create("https://siem.example/in"), SPOOL)
        .withClock(Clock.systemUTC());

    assertThatThrownBy(() -> options.withSpoolMaxBytes(options.batchMaxBytes()))
        .hasMessageContaining("spoolMaxBytes: must hold at least 2 batches");
    assertThat(options.withSpoolMaxBytes(2 * options.batchMaxBytes()).spoolMaxBytes())
        .isEqualTo(2 * options.batchMaxBytes());
  }
}
