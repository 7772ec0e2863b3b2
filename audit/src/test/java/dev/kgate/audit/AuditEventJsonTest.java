package dev.kgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.audit.testing.TestEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuditEventJsonTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00.123456Z");

  @Test
  void anEventIsWrittenWithTheFieldNamesKubernetesUses() {
    JsonNode json = AuditEventJson.MAPPER.readTree(AuditEventJson.write(TestEvents.allowedGet("alice", 1, AT)));

    assertThat(json.path("apiVersion").stringValue()).isEqualTo("audit.k8s.io/v1");
    assertThat(json.path("kind").stringValue()).isEqualTo("Event");
    assertThat(json.path("level").stringValue()).isEqualTo("Metadata");
    assertThat(json.path("auditID").isString()).as("auditID, not auditId").isTrue();
    assertThat(json.path("requestURI").stringValue()).isEqualTo("/api/v1/namespaces/default/pods/web-1");
    assertThat(json.path("sourceIPs").get(0).stringValue()).isEqualTo("10.0.0.7");
    assertThat(json.path("user").path("username").stringValue()).isEqualTo("alice");
    assertThat(json.path("user").path("extra").path("kgate.dev/issuer").get(0).stringValue())
        .isEqualTo("https://idp.example.com");
    assertThat(json.path("impersonatedUser").path("groups").get(1).stringValue()).isEqualTo("system:authenticated");
    assertThat(json.path("objectRef").path("resource").stringValue()).isEqualTo("pods");
    assertThat(json.path("responseStatus").path("code").intValue()).isEqualTo(200);
    assertThat(json.path("annotations").path("kgate.dev/decision").stringValue()).isEqualTo("allow");
    assertThat(json.path("cluster").stringValue()).isEqualTo("prod-eu");
    assertThat(json.path("amr").get(1).stringValue()).isEqualTo("otp");
    assertThat(json.path("responseBytes").longValue()).isEqualTo(1834L);
  }

  @Test
  void timestampsAreRfc3339WithMicroseconds() {
    JsonNode json = AuditEventJson.MAPPER.readTree(AuditEventJson.write(TestEvents.allowedGet("alice", 1, AT)));

    assertThat(json.path("requestReceivedTimestamp").stringValue()).isEqualTo("2025-03-01T10:00:00.123456Z");
    assertThat(json.path("stageTimestamp").stringValue()).isEqualTo("2025-03-01T10:00:00.126456Z");
  }

  @Test
  void missingValuesAreLeftOutNotWrittenAsNull() {
    AuditEvent event = TestEvents.unauthenticated("198.51.100.4", 1, AT);
    String text = new String(AuditEventJson.write(event), StandardCharsets.UTF_8);

    assertThat(text).doesNotContain("null").doesNotContain("impersonatedUser")
        .doesNotContain("objectRef").doesNotContain("latencyMillis");
  }

  @Test
  void anEventSurvivesTheRoundTripUnchanged() {
    AuditEvent allowed = TestEvents.allowedGet("alice", 7, AT);
    AuditEvent denied = TestEvents.deniedExec("bob", 8, AT);
    AuditEvent anonymous = TestEvents.unauthenticated("198.51.100.4", 9, AT);

    for (AuditEvent event : new AuditEvent[] {allowed, denied, anonymous}) {
      assertThat(AuditEventJson.read(AuditEventJson.MAPPER.readTree(AuditEventJson.write(event))))
          .isEqualTo(event);
    }
  }

  @Test
  void bodiesAreEmbeddedAsJsonObjectsAsKubernetesDoesAndSurviveTheRoundTrip() {
    AuditEvent event = TestEvents.allowedGet("alice", 1, AT).toBuilder()
        .level(Level.RequestResponse)
        .requestObject(AuditObject.of(AuditEventJson.MAPPER.readTree(
            "{\"kind\":\"ConfigMap\",\"data\":{\"text\":\"two\\nlines\",\"big\":12345678901234567890}}")))
        .responseObject(AuditObject.of(AuditEventJson.MAPPER.readTree("[{\"x\":1.5},true,null]")))
        .build();

    byte[] line = AuditEventJson.write(event);
    JsonNode json = AuditEventJson.MAPPER.readTree(line);

    assertThat(json.path("level").stringValue()).isEqualTo("RequestResponse");
    assertThat(json.path("requestObject").path("data").path("text").stringValue()).isEqualTo("two\nlines");
    assertThat(json.path("responseObject").isArray()).as("embedded, not a string").isTrue();
    assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\n");
    AuditEvent read = AuditEventJson.read(json);
    assertThat(read).isEqualTo(event);
    assertThat(AuditEventJson.write(read)).as("written again byte for byte").isEqualTo(line);
  }

  @Test
  void newlinesInValuesAreEscapedSoAnEventStaysOneLine() {
    AuditEvent event = TestEvents.allowedGet("alice", 1, AT).toBuilder()
        .userAgent("evil\nagent\r\u2028").build();

    byte[] json = AuditEventJson.write(event);

    assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\n").doesNotContain("\r");
    assertThat(json[json.length - 1]).isEqualTo((byte) '}');
  }

  @Test
  void theBuilderRefusesAnEventWithoutItsRequiredFields() {
    assertThatThrownBy(() -> AuditEvent.builder().auditId("x").stage(Stage.Panic).build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("requestUri");
  }
}
