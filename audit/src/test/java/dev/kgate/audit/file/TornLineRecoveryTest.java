package dev.kgate.audit.file;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static dev.kgate.audit.testing.AuditFiles.chainFile;
import static dev.kgate.audit.testing.AuditFiles.event;
import static dev.kgate.audit.testing.AuditFiles.json;
import static dev.kgate.audit.testing.AuditFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.SealRecord;
import dev.kgate.audit.testing.CrashImage;
import dev.kgate.audit.testing.MutableClock;
import dev.kgate.audit.testing.TestEvents;
import dev.kgate.audit.verify.AuditProblem;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery: the process dies mid-write, leaving a torn last line. On the next start the
 * writer cuts it, seals the chain with a continuation record that says what was cut, and verify
 * explains the seal instead of failing; cutting lines a checkpoint already covered still fails.
 */
class TornLineRecoveryTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
  private static final String FILE = "2025-03-01.jsonl";

  @TempDir
  Path live;
  @TempDir
  Path crashed;

  private final List<AuditEvent> events = new ArrayList<>();
  private PublicKey key;

  @BeforeEach
  void crashAfterFiveEventsWithThreeCheckpointed() throws Exception {
    for (int i = 1; i <= 6; i++) {
      events.add(TestEvents.allowedGet("alice", i, AT));
    }
    try (FileAuditLog log = FileAuditLog.open(options(live))) {
      key = log.checkpointPublicKey();
      appendAll(log, events.subList(0, 3));
      log.checkpoint().get(5, TimeUnit.SECONDS);
      appendAll(log, events.subList(3, 5));
      CrashImage.copy(live, crashed);
    }
  }

  private static FileAuditLog.Options options(Path dir) {
    return FileAuditLog.Options.defaults(dir).withClock(new MutableClock(AT.plusSeconds(60)))
        .withFsyncInterval(Duration.ofMillis(5)).withCheckpointInterval(Duration.ofHours(1));
  }

  @Test
  void aLineCutMidWayIsSealedOnRestartAndVerifyExplainsIt() throws Exception {
    Path file = chainFile(crashed, "alice", FILE);
    List<String> before = lines(file);
    long lineFiveStart = Files.size(file) - before.get(4).length() - 1;
    truncate(file, lineFiveStart + 300);

    try (FileAuditLog log = FileAuditLog.open(options(crashed))) {
      appendAll(log, List.of(events.get(5)));
    }

    List<String> after = lines(file);
    assertThat(after).hasSize(6);
    assertThat(after.subList(0, 4)).isEqualTo(before.subList(0, 4));
    SealRecord seal = SealRecord.from(json(after.get(4)));
    assertThat(json(after.get(4)).path("kind").stringValue()).isEqualTo(SealRecord.KIND);
    assertThat(json(after.get(4)).path("seq").longValue()).isEqualTo(5);
    assertThat(json(after.get(4)).path("prevHash").stringValue())
        .isEqualTo(LineHash.of(before.get(3).getBytes(StandardCharsets.UTF_8)));
    assertThat(seal.offset()).isEqualTo(lineFiveStart);
    assertThat(seal.cutBytes()).isEqualTo(300);
    assertThat(new String(Base64.getDecoder().decode(seal.cutBase64()), StandardCharsets.UTF_8))
        .isEqualTo(before.get(4).substring(0, 300));
    assertThat(json(after.get(5)).path("seq").longValue()).as("the chain goes on after the seal").isEqualTo(6);
    assertThat(event(after.get(5))).isEqualTo(events.get(5));

    VerifyReport report = AuditVerifier.trusting(key).verify(crashed, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(report.chains().get(0).notes()).singleElement().asString()
        .contains(FILE + ":5").contains("torn line of 300 bytes");
  }

  @Test
  void aTailOfZeroBytesLeftByAPowerLossIsSealedToo() throws Exception {
    Path file = chainFile(crashed, "alice", FILE);
    Files.write(file, new byte[4096], StandardOpenOption.APPEND);

    try (FileAuditLog log = FileAuditLog.open(options(crashed))) {
      assertThat(log.writable()).isTrue();
    }

    List<String> after = lines(file);
    assertThat(after).hasSize(6);
    assertThat(SealRecord.from(json(after.get(5))).cutBytes()).isEqualTo(4096);
    assertThat(AuditVerifier.trusting(key).verify(crashed, Optional.empty()).ok()).isTrue();
  }

  @Test
  void aNewFileHoldingOnlyATornLineGetsTheSealAsItsFirstLine() throws Exception {
    Path next = chainFile(crashed, "alice", "2025-03-01.1.jsonl");
    Files.writeString(next, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"lev");

    try (FileAuditLog log = FileAuditLog.open(options(crashed))) {
      appendAll(log, List.of(events.get(5)));
    }

    List<String> lines = lines(next);
    assertThat(lines).hasSize(2);
    assertThat(json(lines.get(0)).path("kind").stringValue()).isEqualTo(SealRecord.KIND);
    assertThat(json(lines.get(0)).path("prevHash").stringValue()).as("chained across files")
        .isEqualTo(LineHash.of(lines(chainFile(crashed, "alice", FILE)).get(4).getBytes(StandardCharsets.UTF_8)));
    VerifyReport report = AuditVerifier.trusting(key).verify(crashed, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
  }

  @Test
  void cuttingCheckpointedLinesAndRestartingIsStillCaughtAtTheSeal() throws Exception {
    Path file = chainFile(crashed, "alice", FILE);
    List<String> before = lines(file);
    // Line 3 is covered by the checkpoint taken before the crash.
    long lineThreeStart = before.get(0).length() + before.get(1).length() + 2;
    truncate(file, lineThreeStart + 50);

    try (FileAuditLog log = FileAuditLog.open(options(crashed))) {
      appendAll(log, List.of(events.get(5)));
    }

    VerifyReport report = AuditVerifier.trusting(key).verify(crashed, Optional.empty());
    assertThat(report.ok()).isFalse();
    AuditProblem problem = report.problems().get(0);
    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.TRUNCATED);
    assertThat(problem.file().toString()).endsWith(FILE);
    assertThat(problem.line()).as("the seal that replaced checkpointed line 3").isEqualTo(3);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }
}
