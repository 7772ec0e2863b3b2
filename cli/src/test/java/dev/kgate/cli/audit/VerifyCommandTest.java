package dev.kgate.cli.audit;

import static dev.kgate.cli.audit.AuditLogFixture.ALICE;
import static dev.kgate.cli.audit.AuditLogFixture.BOB;
import static dev.kgate.cli.audit.AuditLogFixture.CAROL;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_ONE_FILE;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_THREE;
import static dev.kgate.cli.audit.AuditLogFixture.DAY_THREE_FILE;
import static dev.kgate.cli.audit.AuditLogFixture.chainFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditAnnotations;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.store.CheckpointCodec;
import dev.kgate.audit.store.CheckpointKeys;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

  @TempDir Path dir;
  @TempDir Path elsewhere;

  private String keyId;

  @BeforeEach
  void writeTheLog() throws Exception {
    keyId = AuditLogFixture.write(dir);
  }

  private AuditRun verify(String... more) {
    List<String> args = new ArrayList<>(List.of("verify", "--dir", dir.toString()));
    args.addAll(Arrays.asList(more));
    return AuditRun.of(args.toArray(String[]::new));
  }

  @Test
  void anIntactLogPassesWithOneLineNamingTheCheckpointKey() {
    AuditRun run = verify();

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.outLines()).containsExactly(
        "OK: 10 events in 6 files, chains intact, checkpoints signed by " + keyId);
    assertThat(run.err()).isEmpty();
  }

  @Test
  void oneEditedByteInAMiddleLineIsNamedWithItsFileAndLine() throws IOException {
    Path file = dir.resolve(chainFile(ALICE, DAY_ONE_FILE));
    byte[] bytes = Files.readAllBytes(file);
    int lineTwo = indexOf(bytes, (byte) '\n', 0) + 1;
    int verb = new String(bytes, StandardCharsets.UTF_8).indexOf("\"verb\":\"get\"", lineTwo) + "\"verb\":\"".length();
    assertThat(verb).as("line 2 is a get").isLessThan(indexOf(bytes, (byte) '\n', lineTwo));
    bytes[verb] = 'p';
    Files.write(file, bytes);

    AuditRun run = verify();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLines()).singleElement().asString()
        .startsWith("FAIL: " + chainFile(ALICE, DAY_ONE_FILE) + " line 2 (" + ALICE + "): hash mismatch: ")
        .contains("this line was edited");
  }

  @Test
  void aDeletedLineIsNamedWhereTheGapIs() throws IOException {
    Path file = dir.resolve(chainFile(ALICE, DAY_ONE_FILE));
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(2);
    Files.write(file, lines);

    AuditRun run = verify();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLines()).containsExactly("FAIL: " + chainFile(ALICE, DAY_ONE_FILE) + " line 3 (" + ALICE
        + "): missing line: seq jumps from 2 to 4: 1 line(s) deleted");
  }

  @Test
  void anEditedCheckpointFailsItsSignature() throws IOException {
    Path newest = newestCheckpoint();
    String text = Files.readString(newest);
    // Alice's head is her fifth line; an attacker who cut it would want the checkpoint to say 4.
    String edited = text.replaceFirst("\"seq\":5,", "\"seq\":4,");
    assertThat(edited).as("the edit changed the checkpoint").isNotEqualTo(text);
    Files.writeString(newest, edited);

    AuditRun run = verify();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLines()).containsExactly("FAIL: " + dir.relativize(newest)
        + ": bad checkpoint signature: signature does not verify with the trusted key: forged or edited");
  }

  @Test
  void checkpointsAreCheckedAgainstTheKeyGivenWithKey() throws IOException {
    Path honest = elsewhere.resolve("honest.pub.pem");
    Files.copy(new StoreLayout(dir).publicKey(), honest);
    Path other = elsewhere.resolve("other.pub.pem");
    CheckpointKeys.writePublic(other, CheckpointKeys.generate().publicKey());

    AuditRun trusted = verify("--key", honest.toString());
    AuditRun untrusted = verify("--key", other.toString());

    assertThat(trusted.exitCode()).isZero();
    assertThat(trusted.outLines()).singleElement().asString().endsWith("checkpoints signed by " + keyId);
    assertThat(untrusted.exitCode()).isEqualTo(1);
    assertThat(untrusted.outLines()).filteredOn(line -> line.startsWith("FAIL: ")).as("every checkpoint fails")
        .hasSize(CheckpointCodec.list(new StoreLayout(dir).checkpoints()).size()).hasSize(2)
        .allSatisfy(line -> assertThat(line).startsWith("FAIL: checkpoints/").contains(": bad checkpoint signature: "));
  }

  @Test
  void aTornLineTheWriterSealedAfterACrashPassesWithANote() throws Exception {
    Path file = dir.resolve(chainFile(CAROL, DAY_THREE_FILE));
    Files.writeString(file, "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"lev", StandardOpenOption.APPEND);
    FileAuditLog.open(AuditLogFixture.options(dir, new TestClock(DAY_THREE.plusSeconds(600)))).close();

    AuditRun run = verify();

    assertThat(run.exitCode()).as(run.out()).isZero();
    assertThat(run.outLines()).hasSize(2);
    assertThat(run.outLines().get(0)).as("the seal is not an event")
        .isEqualTo("OK: 10 events in 6 files, chains intact, checkpoints signed by " + keyId);
    assertThat(run.outLines().get(1)).startsWith("note: " + chainFile(CAROL, DAY_THREE_FILE) + ":2: sealed on restart")
        .contains("torn line of 51 bytes");
  }

  @Test
  void aSealThatReplacedCheckpointedLinesIsNamedAsTheBadRecord() throws Exception {
    // Carol's only line was checkpointed at close; cut it mid-way and restart the writer.
    Path file = dir.resolve(chainFile(CAROL, DAY_THREE_FILE));
    truncate(file, 40);
    TestClock later = new TestClock(DAY_THREE.plusSeconds(600));
    try (FileAuditLog log = FileAuditLog.open(AuditLogFixture.options(dir, later))) {
      AuditLogFixture.appendAll(log, AuditLogFixture.event(CAROL, "staging", "get", "configmaps", "other", null,
          "default", AuditAnnotations.ALLOW, 200, DAY_THREE.plusSeconds(600)));
    }

    AuditRun run = verify();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLines().get(0))
        .startsWith("FAIL: " + chainFile(CAROL, DAY_THREE_FILE) + " line 1 (" + CAROL
            + "): torn line sealed by continuation: this seal replaced lines that checkpoint ");
  }

  @Test
  void withUserOnlyThatUsersChainIsVerified() throws IOException {
    Path file = dir.resolve(chainFile(ALICE, DAY_ONE_FILE));
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(1);
    Files.write(file, lines);

    AuditRun bob = verify("--user", BOB);
    AuditRun alice = verify("--user", ALICE);

    assertThat(bob.exitCode()).isZero();
    assertThat(bob.outLines()).containsExactly("OK: 3 events in 2 files, chains intact, checkpoints signed by " + keyId);
    assertThat(alice.exitCode()).isEqualTo(1);
    assertThat(alice.outLines()).singleElement().asString().contains("(" + ALICE + "): missing line: ");
  }

  @Test
  void aUserWithoutRecordsIsAUsageErrorNotAnAllClear() {
    AuditRun run = verify("--user", "mallory@example.com");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("kgate: no audit records of user 'mallory@example.com' in " + dir);
  }

  @Test
  void aMissingDirectoryIsOnePlainLineAndExitCodeTwo() {
    Path missing = elsewhere.resolve("no-such-dir");

    AuditRun run = AuditRun.of("verify", "--dir", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly("kgate: audit directory does not exist: " + missing);
  }

  @Test
  void aDirectoryThatIsNoAuditLogIsRefusedRatherThanPassed() {
    AuditRun run = AuditRun.of("verify", "--dir", elsewhere.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString().startsWith("kgate: not an audit directory");
  }

  @Test
  void aMissingKeyFileIsAUsageError() {
    Path missing = elsewhere.resolve("nowhere.pem");

    AuditRun run = verify("--key", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).containsExactly("kgate: checkpoint key not found: " + missing);
  }

  private Path newestCheckpoint() throws IOException {
    List<Path> checkpoints = CheckpointCodec.list(new StoreLayout(dir).checkpoints());
    return checkpoints.get(checkpoints.size() - 1);
  }

  private static int indexOf(byte[] bytes, byte value, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == value) {
        return i;
      }
    }
    return -1;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }
}
