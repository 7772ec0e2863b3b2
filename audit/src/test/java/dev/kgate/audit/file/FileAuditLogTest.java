package dev.kgate.audit.file;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static dev.kgate.audit.testing.AuditFiles.chainFile;
import static dev.kgate.audit.testing.AuditFiles.chainFiles;
import static dev.kgate.audit.testing.AuditFiles.event;
import static dev.kgate.audit.testing.AuditFiles.json;
import static dev.kgate.audit.testing.AuditFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Durability;
import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.CheckpointCodec;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.audit.testing.MutableClock;
import dev.kgate.audit.testing.TestEvents;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {

  private static final Instant DAY_ONE = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(DAY_ONE);

  private FileAuditLog open() {
    return FileAuditLog.open(FileAuditLog.Options.defaults(dir).withClock(clock)
        .withFsyncInterval(Duration.ofMillis(5)));
  }

  @Test
  void eventsOfTwoUsersLandInTwoPerUserFilesHoldingExactlyThoseEvents() throws Exception {
    List<AuditEvent> alice = List.of(TestEvents.allowedGet("alice@example.com", 1, DAY_ONE),
        TestEvents.deniedExec("alice@example.com", 2, DAY_ONE), TestEvents.allowedGet("alice@example.com", 3, DAY_ONE));
    List<AuditEvent> bob = List.of(TestEvents.allowedGet("bob@example.com", 1, DAY_ONE),
        TestEvents.deniedExec("bob@example.com", 2, DAY_ONE));
    PublicKey key;
    try (FileAuditLog log = open()) {
      key = log.checkpointPublicKey();
      appendAll(log, List.of(alice.get(0), bob.get(0), alice.get(1), bob.get(1), alice.get(2)));
    }

    try (Stream<Path> users = Files.list(dir.resolve(StoreLayout.USERS))) {
      assertThat(users.count()).as("one directory per user").isEqualTo(2);
    }
    assertThat(chainFiles(dir, "alice@example.com")).extracting(path -> path.getFileName().toString())
        .containsExactly("2025-03-01.jsonl");
    assertThat(lines(chainFile(dir, "alice@example.com", "2025-03-01.jsonl")).stream().map(line -> event(line)).toList())
        .as("alice's file holds her events, in order, fields as given").isEqualTo(alice);
    assertThat(lines(chainFile(dir, "bob@example.com", "2025-03-01.jsonl")).stream().map(line -> event(line)).toList())
        .isEqualTo(bob);
    VerifyReport report = AuditVerifier.trusting(key).verify(dir, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(report.chains()).hasSize(2);
    assertThat(report.chains()).allSatisfy(chain -> assertThat(chain.lines()).isPositive());
  }

  @Test
  void everyLineCarriesItsSeqAndTheHashOfThePreviousLine() throws Exception {
    try (FileAuditLog log = open()) {
      appendAll(log, List.of(TestEvents.allowedGet("alice", 1, DAY_ONE), TestEvents.allowedGet("alice", 2, DAY_ONE),
          TestEvents.allowedGet("alice", 3, DAY_ONE)));
    }

    List<String> lines = lines(chainFile(dir, "alice", "2025-03-01.jsonl"));
    assertThat(lines).hasSize(3);
    assertThat(json(lines.get(0)).path("prevHash").stringValue()).isEqualTo(LineHash.GENESIS);
    for (int i = 0; i < lines.size(); i++) {
      assertThat(json(lines.get(i)).path("seq").longValue()).isEqualTo(i + 1);
      if (i > 0) {
        assertThat(json(lines.get(i)).path("prevHash").stringValue())
            .isEqualTo(LineHash.of(lines.get(i - 1).getBytes(StandardCharsets.UTF_8)));
      }
    }
  }

  @Test
  void appendCompletesWithTheSeqTheEventGotInItsChain() throws Exception {
    try (FileAuditLog log = open()) {
      Durability first = log.append(TestEvents.allowedGet("alice", 1, DAY_ONE)).get(5, TimeUnit.SECONDS);
      Durability second = log.append(TestEvents.allowedGet("alice", 2, DAY_ONE)).get(5, TimeUnit.SECONDS);
      Durability other = log.append(TestEvents.allowedGet("bob", 1, DAY_ONE)).get(5, TimeUnit.SECONDS);

      assertThat(first).isEqualTo(new Durability.Written("alice", 1));
      assertThat(second).isEqualTo(new Durability.Written("alice", 2));
      assertThat(other).isEqualTo(new Durability.Written("bob", 1));
    }
  }

  @Test
  void theChainContinuesAcrossSizeRotationAndRestarts() throws Exception {
    FileAuditLog.Options options = FileAuditLog.Options.defaults(dir).withClock(clock)
        .withFsyncInterval(Duration.ofMillis(5)).withMaxFileBytes(4096);
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(TestEvents.allowedGet("alice", i, DAY_ONE));
    }
    try (FileAuditLog log = FileAuditLog.open(options)) {
      appendAll(log, events.subList(0, 15));
    }
    try (FileAuditLog log = FileAuditLog.open(options)) {
      appendAll(log, events.subList(15, 30));
    }

    List<Path> files = chainFiles(dir, "alice");
    assertThat(files).as("rotated by size").hasSizeGreaterThan(3);
    assertThat(files).allSatisfy(file -> assertThat(Files.size(file)).isLessThanOrEqualTo(4096));
    List<String> all = new ArrayList<>();
    for (Path file : files.stream().sorted(FileAuditLogTest::chainOrder).toList()) {
      List<String> fileLines = lines(file);
      if (!all.isEmpty()) {
        assertThat(json(fileLines.get(0)).path("prevHash").stringValue())
            .as("the first line of %s points to the last line of the previous file", file.getFileName())
            .isEqualTo(LineHash.of(all.get(all.size() - 1).getBytes(StandardCharsets.UTF_8)));
      }
      all.addAll(fileLines);
    }
    assertThat(all.stream().map(line -> event(line)).toList()).isEqualTo(events);
    assertThat(all.stream().map(line -> json(line).path("seq").longValue()).toList())
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
    assertThat(AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty()).ok()).isTrue();
  }

  @Test
  void aNewDayStartsANewFileChainedToTheDayBefore() throws Exception {
    try (FileAuditLog log = open()) {
      appendAll(log, List.of(TestEvents.allowedGet("alice", 1, DAY_ONE)));
      clock.advance(Duration.ofDays(1));
      appendAll(log, List.of(TestEvents.allowedGet("alice", 2, clock.instant())));
    }

    assertThat(chainFiles(dir, "alice")).extracting(path -> path.getFileName().toString())
        .containsExactly("2025-03-01.jsonl", "2025-03-02.jsonl");
    String last = lines(chainFile(dir, "alice", "2025-03-01.jsonl")).get(0);
    String first = lines(chainFile(dir, "alice", "2025-03-02.jsonl")).get(0);
    assertThat(json(first).path("prevHash").stringValue()).isEqualTo(LineHash.of(last.getBytes(StandardCharsets.UTF_8)));
    assertThat(json(first).path("seq").longValue()).isEqualTo(2);
  }

  @Test
  void retentionDeletesSessionRecordingsOlderThanItsAgeAndKeepsNewerOnes() throws Exception {
    Path old = dir.resolve(StoreLayout.sessionFile("alice", "old-session"));
    Path recent = dir.resolve(StoreLayout.sessionFile("alice", "recent-session"));
    Path bobsOld = dir.resolve(StoreLayout.sessionFile("bob", "bobs-old-session"));
    for (Path cast : List.of(old, recent, bobsOld)) {
      Files.createDirectories(cast.getParent());
      Files.writeString(cast, "{\"version\": 2}\n");
    }
    // Recordings are dated by their last write, as the log's clock sees it: three days ago, and one hour ago.
    Files.setLastModifiedTime(old, FileTime.from(clock.instant().minus(Duration.ofDays(3))));
    Files.setLastModifiedTime(bobsOld, FileTime.from(clock.instant().minus(Duration.ofDays(3))));
    Files.setLastModifiedTime(recent, FileTime.from(clock.instant().minus(Duration.ofHours(1))));
    FileAuditLog.Options options = FileAuditLog.Options.defaults(dir).withClock(clock)
        .withFsyncInterval(Duration.ofMillis(5)).withRetention(Duration.ofDays(2));
    try (FileAuditLog log = FileAuditLog.open(options)) {
      appendAll(log, List.of(TestEvents.allowedGet("alice", 0, clock.instant())));
      log.checkpoint().get(5, TimeUnit.SECONDS);
    }
    assertThat(old).doesNotExist();
    assertThat(bobsOld).doesNotExist();
    assertThat(bobsOld.getParent()).as("a user's emptied recordings directory goes too").doesNotExist();
    assertThat(recent).exists();
    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
  }

  @Test
  void retentionDeletesOldFilesAndRecordsItSoVerifyStillPasses() throws Exception {
    FileAuditLog.Options options = FileAuditLog.Options.defaults(dir).withClock(clock)
        .withFsyncInterval(Duration.ofMillis(5)).withRetention(Duration.ofDays(2));
    try (FileAuditLog log = FileAuditLog.open(options)) {
      for (int day = 0; day < 5; day++) {
        appendAll(log, List.of(TestEvents.allowedGet("alice", day, clock.instant()),
            TestEvents.allowedGet("bob", day, clock.instant())));
        assertThat(log.checkpoint().get(5, TimeUnit.SECONDS)).isPresent();
        clock.advance(Duration.ofDays(1));
      }
      // Day six, 10:00: files of days one to three end before the cut-off (day four, 10:00).
      assertThat(log.checkpoint().get(5, TimeUnit.SECONDS)).as("retention is news for a checkpoint").isPresent();
    }

    assertThat(chainFiles(dir, "alice")).extracting(path -> path.getFileName().toString())
        .containsExactly("2025-03-04.jsonl", "2025-03-05.jsonl");
    List<Path> checkpoints = CheckpointCodec.list(dir.resolve(StoreLayout.CHECKPOINTS));
    assertThat(checkpoints).as("checkpoints older than the retention age go too").hasSize(3);
    Checkpoint newest = CheckpointCodec.decode(Files.readAllBytes(checkpoints.get(2))).checkpoint();
    assertThat(newest.retired()).extracting(Checkpoint.Retired::file)
        .containsExactly("2025-03-03.jsonl", "2025-03-03.jsonl");
    assertThat(newest.chains()).allSatisfy(head -> assertThat(head.baseSeq()).isEqualTo(3));
    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(report.chains()).allSatisfy(chain -> assertThat(chain.headSeq()).isEqualTo(5));
  }

  @Test
  void anAppendAfterCloseIsNotWritten() throws Exception {
    FileAuditLog log = open();
    log.close();

    assertThat(log.append(TestEvents.allowedGet("alice", 1, DAY_ONE)).get(1, TimeUnit.SECONDS))
        .isInstanceOf(Durability.NotWritten.class);
    assertThat(log.writable()).isFalse();
  }

  @Test
  void aGeneratedKeyIsStoredOwnerOnlyAndItsPublicHalfPublished() throws Exception {
    try (FileAuditLog log = open()) {
      assertThat(log.writable()).isTrue();
    }
    StoreLayout layout = new StoreLayout(dir);
    assertThat(Files.readString(layout.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.getPosixFilePermissions(layout.privateKey()))
        .extracting(Object::toString).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    assertThat(Files.readString(layout.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----");
  }

  private static int chainOrder(Path a, Path b) {
    return dev.kgate.audit.store.ChainFile.parse(a.getFileName().toString()).orElseThrow()
        .compareTo(dev.kgate.audit.store.ChainFile.parse(b.getFileName().toString()).orElseThrow());
  }
}
