package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.AuditLogFixture.ALICE;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_ONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.AuditObject;
import dev.kgate.audit.Level;
import dev.kgate.audit.file.FileAuditLog;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A reviewer sees the bodies an audit level recorded, and such a log verifies like any other. */
class QueryRecordedBodiesTest {

  @TempDir static Path dir;

  @BeforeAll
  static void writeTheLog() throws Exception {
    try (FileAuditLog log = FileAuditLog.open(AuditLogFixture.options(dir, new TestClock(DAY_ONE)))) {
      AuditLogFixture.appendAll(log, AuditLogFixture.event(ALICE, "prod-eu", "create", "configmaps", null, null,
              "shop", AuditAnnotations.ALLOW, 200, DAY_ONE.plusSeconds(60)).toBuilder()
          .level(Level.RequestResponse)
          .requestObject(AuditObject.of(AuditEventJson.MAPPER.readTree(
              "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\"},\"data\":{\"color\":\"blue\"}}")))
          .responseObject(AuditObject.of(AuditEventJson.MAPPER.readTree(
              "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\",\"uid\":\"u-1\"}}")))
          .build());
    }
  }

  @Test
  void queryAsJsonShowsTheRecordedObjects() {
    AuditRun run = AuditRun.of("query", "--dir", dir.toString(), "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.outLines()).hasSize(1);
    JsonNode event = AuditEventJson.MAPPER.readTree(run.outLines().get(0));
    assertThat(event.path("level").stringValue()).isEqualTo("RequestResponse");
    assertThat(event.at("/requestObject/data/color").stringValue()).isEqualTo("blue");
    assertThat(event.at("/responseObject/metadata/uid").stringValue()).isEqualTo("u-1");
  }

  @Test
  void verifyPassesOverEventsWithBodies() {
    AuditRun run = AuditRun.of("verify", "--dir", dir.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
  }
}
