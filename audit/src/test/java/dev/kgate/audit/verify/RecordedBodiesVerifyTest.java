package dev.kgate.audit.verify;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static dev.kgate.audit.testing.AuditFiles.chainFiles;
import static dev.kgate.audit.testing.AuditFiles.lines;
import static dev.kgate.audit.testing.AuditFiles.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.AuditObject;
import dev.kgate.audit.Level;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.audit.testing.MutableClock;
import dev.kgate.audit.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events that carry bodies are chained, verified and read back like any other. */
class RecordedBodiesVerifyTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
  private static final String ALICE = "alice@example.com";

  @TempDir
  Path dir;

  private AuditEvent withBodies(int n) {
    return TestEvents.allowedGet(ALICE, n, AT).toBuilder()
        .level(Level.RequestResponse)
        .verb("create")
        .requestObject(AuditObject.of(AuditEventJson.MAPPER.readTree(
            "{\"kind\":\"ConfigMap\",\"data\":{\"note\":\"line one\\nline two\",\"n\":" + n + "}}")))
        .responseObject(AuditObject.of(AuditEventJson.MAPPER.readTree("[1,2.5,{\"a\":null}]")))
        .build();
  }

  @Test
  void aChainOfEventsWithBodiesVerifiesAndReadsBackUnchanged() throws Exception {
    List<AuditEvent> events = List.of(withBodies(1), TestEvents.allowedGet(ALICE, 2, AT), withBodies(3));
    try (FileAuditLog log = FileAuditLog.open(FileAuditLog.Options.defaults(dir)
        .withClock(new MutableClock(AT)).withFsyncInterval(Duration.ofMillis(5)))) {
      appendAll(log, events);
    }

    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());

    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(new AuditQuery(dir).find(AuditFilter.any())).containsExactlyElementsOf(events);
  }

  @Test
  void aChangedByteInsideARecordedBodyIsCaught() throws Exception {
    try (FileAuditLog log = FileAuditLog.open(FileAuditLog.Options.defaults(dir)
        .withClock(new MutableClock(AT)).withFsyncInterval(Duration.ofMillis(5)))) {
      appendAll(log, List.of(withBodies(1), withBodies(2)));
    }
    Path file = chainFiles(dir, ALICE).get(0);
    List<String> lines = lines(file);
    lines.set(0, lines.get(0).replace("line one", "line 0ne"));
    writeLines(file, lines);

    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());

    assertThat(report.ok()).as("an edited body must not verify").isFalse();
    assertThat(report.problems()).extracting(AuditProblem::kind).contains(AuditProblem.Kind.EDITED);
  }
}
