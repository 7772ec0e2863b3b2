package dev.kgate.audit.verify;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static dev.kgate.audit.testing.AuditFiles.chainDir;
import static dev.kgate.audit.testing.AuditFiles.lines;
import static dev.kgate.audit.testing.AuditFiles.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.CheckpointCodec;
import dev.kgate.audit.store.CheckpointKeys;
import dev.kgate.audit.store.SigningKey;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.audit.testing.MutableClock;
import dev.kgate.audit.testing.TestEvents;
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
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tampering a reviewer must catch. Alice's chain spans three files (four lines, four lines, two
 * lines), Bob's one; three checkpoints were written, the last one at close.
 */
class AuditVerifierTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
  private static final String ALICE = "alice@example.com";
  private static final String BOB = "bob@example.com";

  @TempDir
  Path dir;

  private PublicKey key;
  private Path first;
  private Path second;
  private Path third;

  @BeforeEach
  void writeLogs() throws Exception {
    FileAuditLog.Options options = FileAuditLog.Options.defaults(dir)
        .withClock(new MutableClock(AT)).withFsyncInterval(Duration.ofMillis(5)).withMaxFileBytes(5000);
    List<AuditEvent> alice = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      alice.add(i % 3 == 0 ? TestEvents.deniedExec(ALICE, i, AT) : TestEvents.allowedGet(ALICE, i, AT));
    }
    try (FileAuditLog log = FileAuditLog.open(options)) {
      key = log.checkpointPublicKey();
      appendAll(log, alice.subList(0, 4));
      log.checkpoint().get(5, TimeUnit.SECONDS);
      appendAll(log, alice.subList(4, 8));
      appendAll(log, List.of(TestEvents.allowedGet(BOB, 1, AT), TestEvents.allowedGet(BOB, 2, AT)));
      log.checkpoint().get(5, TimeUnit.SECONDS);
      appendAll(log, alice.subList(8, 10));
    }
    Path aliceDir = chainDir(dir, ALICE);
    first = aliceDir.resolve("2025-03-01.jsonl");
    second = aliceDir.resolve("2025-03-01.1.jsonl");
    third = aliceDir.resolve("2025-03-01.2.jsonl");
    assertThat(List.of(lines(first).size(), lines(second).size(), lines(third).size()))
        .as("the layout these tests assume").containsExactly(4, 4, 2);
    assertThat(CheckpointCodec.list(dir.resolve(StoreLayout.CHECKPOINTS))).hasSize(3);
  }

  private VerifyReport verify() {
    return AuditVerifier.trusting(key).verify(dir, Optional.empty());
  }

  private AuditProblem onlyProblem(VerifyReport report) {
    assertThat(report.ok()).as("verify must fail").isFalse();
    assertThat(report.problems()).as(report.describe()).hasSize(1);
    return report.problems().get(0);
  }

  private Path relative(Path file) {
    return dir.relativize(file);
  }

  @Test
  void untouchedLogsVerify() {
    VerifyReport report = verify();

    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(report.chains()).extracting(ChainVerdict::chain).containsExactlyInAnyOrder(ALICE, BOB);
    assertThat(report.chains()).filteredOn(chain -> chain.chain().equals(ALICE))
        .singleElement().satisfies(chain -> assertThat(chain.lines()).isEqualTo(10));
  }

  @Test
  void oneChangedByteIsNamedWithItsFileAndLine() throws IOException {
    List<String> lines = lines(second);
    lines.set(1, lines.get(1).replaceFirst("10\\.0\\.0\\.7", "10.0.0.8"));
    writeLines(second, lines);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.EDITED);
    assertThat(problem.file()).isEqualTo(relative(second));
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.chain()).isEqualTo(ALICE);
  }

  @Test
  void aChangedByteInTheLastLineIsCaughtByTheCheckpoint() throws IOException {
    List<String> lines = lines(third);
    lines.set(1, lines.get(1).replace("\"code\":200", "\"code\":201"));
    writeLines(third, lines);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.EDITED);
    assertThat(problem.file()).isEqualTo(relative(third));
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.detail()).contains("checkpoint");
  }

  @Test
  void aByteThatBreaksTheJsonMakesTheLineUnreadable() throws IOException {
    byte[] bytes = Files.readAllBytes(first);
    bytes[0] = '[';
    Files.write(first, bytes);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.UNREADABLE);
    assertThat(problem.file()).isEqualTo(relative(first));
    assertThat(problem.line()).isEqualTo(1);
  }

  @Test
  void aDeletedLineIsNamedAtTheLineThatNowTakesItsPlace() throws IOException {
    List<String> lines = lines(first);
    lines.remove(2);
    writeLines(first, lines);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.MISSING);
    assertThat(problem.file()).isEqualTo(relative(first));
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.detail()).contains("seq jumps from 2 to 4");
  }

  @Test
  void twoSwappedLinesAreNamedAtTheFirstOneOutOfPlace() throws IOException {
    List<String> lines = lines(second);
    Collections.swap(lines, 1, 2);
    writeLines(second, lines);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.REORDERED);
    assertThat(problem.file()).isEqualTo(relative(second));
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.detail()).isEqualTo("seq 7 comes before seq 6: lines reordered");
  }

  @Test
  void twoLinesSwappedAcrossTheStartOfAFileAreReorderedNotRemoved() throws IOException {
    List<String> firstLines = lines(first);
    List<String> secondLines = lines(second);
    String last = firstLines.remove(3);
    String next = secondLines.remove(0);
    firstLines.add(next);
    secondLines.add(0, last);
    writeLines(first, firstLines);
    writeLines(second, secondLines);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.REORDERED);
    assertThat(problem.file()).isEqualTo(relative(first));
    assertThat(problem.line()).isEqualTo(4);
  }

  @Test
  void twoDeletedLinesAtTheEndOfAFileLookLikeAGapAtTheNextFile() throws IOException {
    List<String> lines = lines(first);
    writeLines(first, lines.subList(0, 2));

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.REMOVED);
    assertThat(problem.file()).isEqualTo(relative(second));
    assertThat(problem.line()).isEqualTo(1);
    assertThat(problem.detail()).contains("seq jumps from 2 to 5");
  }

  @Test
  void aTruncatedFileIsNamedAtItsLastRemainingLine() throws IOException {
    List<String> lines = lines(third);
    truncate(third, lines.get(0).length() + 1);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.TRUNCATED);
    assertThat(problem.file()).isEqualTo(relative(third));
    assertThat(problem.line()).isEqualTo(1);
    assertThat(problem.detail()).contains("seq 9").contains("seq 10");
  }

  @Test
  void aFileTruncatedMidLineIsStillTruncation() throws IOException {
    truncate(third, lines(third).get(0).length() + 40);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.TRUNCATED);
    assertThat(problem.line()).isEqualTo(1);
  }

  @Test
  void aFileRemovedFromTheMiddleIsNamedAtTheStartOfTheNextFile() throws IOException {
    Files.delete(second);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.REMOVED);
    assertThat(problem.file()).isEqualTo(relative(third));
    assertThat(problem.line()).isEqualTo(1);
    assertThat(problem.detail()).contains("seq jumps from 4 to 9");
  }

  @Test
  void theLastFileRemovedAfterACheckpointIsNamedAtTheLineBeforeIt() throws IOException {
    Files.delete(third);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.REMOVED);
    assertThat(problem.file()).isEqualTo(relative(second));
    assertThat(problem.line()).isEqualTo(4);
    assertThat(problem.detail()).contains("2025-03-01.2.jsonl").contains("removed");
  }

  @Test
  void theFirstFileRemovedIsNamedAtTheNewStartOfTheChain() throws IOException {
    Files.delete(first);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.MISSING);
    assertThat(problem.file()).isEqualTo(relative(second));
    assertThat(problem.line()).isEqualTo(1);
  }

  @Test
  void aRemovedUserDirectoryIsReported() throws IOException {
    Path bob = chainDir(dir, BOB);
    try (var files = Files.list(bob)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(bob);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.REMOVED);
    assertThat(problem.chain()).isEqualTo(BOB);
  }

  @Test
  void anEditedCheckpointFailsItsSignature() throws IOException {
    Path newest = newestCheckpoint();
    String text = Files.readString(newest).replace("\"seq\":10", "\"seq\":9");
    Files.writeString(newest, text);

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.BAD_CHECKPOINT);
    assertThat(problem.file()).isEqualTo(relative(newest));
    assertThat(problem.detail()).contains("signature");
  }

  @Test
  void aCheckpointForgedWithAnotherKeyToHideATruncationIsCaught() throws Exception {
    // The attacker cuts alice's last line, removes the honest checkpoint that covers it, and
    // writes one of their own that ends alice's chain at seq 9, even republishing a public key.
    List<String> lines = lines(third);
    truncate(third, lines.get(0).length() + 1);
    Path newest = newestCheckpoint();
    Checkpoint honest = CheckpointCodec.decode(Files.readAllBytes(newest)).checkpoint();
    Files.delete(newest);
    SigningKey forger = CheckpointKeys.generate();
    List<Checkpoint.Head> heads = honest.chains().stream()
        .map(head -> head.chain().equals(ALICE)
            ? new Checkpoint.Head(head.chain(), head.key(), head.file(), 9,
                dev.kgate.audit.store.LineHash.of(lines.get(0).getBytes(StandardCharsets.UTF_8)),
                head.baseSeq(), head.baseHash())
            : head)
        .toList();
    Checkpoint forged = new Checkpoint(honest.seq(), honest.createdAt(), honest.previous(),
        honest.retainedFrom(), forger.algorithm(), forger.keyId(), heads, List.of());
    Files.write(newest, CheckpointCodec.encode(forged, forger));
    CheckpointKeys.writePublic(new StoreLayout(dir).publicKey(), forger.publicKey());

    VerifyReport report = verify();

    assertThat(report.ok()).isFalse();
    assertThat(report.checkpointProblems()).singleElement().satisfies(problem -> {
      assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.BAD_CHECKPOINT);
      assertThat(problem.file()).isEqualTo(relative(newest));
    });
  }

  @Test
  void aRemovedCheckpointBreaksTheCheckpointSequence() throws IOException {
    List<Path> checkpoints = CheckpointCodec.list(dir.resolve(StoreLayout.CHECKPOINTS));
    Files.delete(checkpoints.get(1));

    AuditProblem problem = onlyProblem(verify());

    assertThat(problem.kind()).isEqualTo(AuditProblem.Kind.BAD_CHECKPOINT);
    assertThat(problem.file()).isEqualTo(relative(checkpoints.get(2)));
    assertThat(problem.detail()).contains("[2]");
  }

  @Test
  void onlyTheAskedUsersChainIsVerified() throws IOException {
    Files.delete(third);

    VerifyReport bob = AuditVerifier.trusting(key).verify(dir, Optional.of(BOB));
    VerifyReport alice = AuditVerifier.trusting(key).verify(dir, Optional.of(ALICE));

    assertThat(bob.ok()).as(bob.describe()).isTrue();
    assertThat(bob.chains()).extracting(ChainVerdict::chain).containsExactly(BOB);
    assertThat(alice.ok()).isFalse();
  }

  @Test
  void withoutAnyPublicKeyCheckpointsCannotBeTrusted() throws IOException {
    StoreLayout layout = new StoreLayout(dir);
    Files.delete(layout.publicKey());
    Files.delete(layout.privateKey());

    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());

    assertThat(report.ok()).isFalse();
    assertThat(report.checkpointProblems()).singleElement()
        .satisfies(problem -> assertThat(problem.detail()).contains("no public key"));
  }

  private Path newestCheckpoint() throws IOException {
    List<Path> checkpoints = CheckpointCodec.list(dir.resolve(StoreLayout.CHECKPOINTS));
    return checkpoints.get(checkpoints.size() - 1);
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }
}
