package dev.kgate.audit.file;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kgate.audit.Durability;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.audit.testing.TestEvents;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fail-closed gateway refuses requests while the audit log cannot be written. These tests make
 * the directory unwritable in the ways an operator meets (a path that is not a directory, missing
 * permission, a full disk) and check that {@code writable()} turns false, appends come back not
 * written, and both recover once the directory takes writes again.
 */
class UnwritableDirectoryTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir
  Path dir;

  private static FileAuditLog.Options options(Path dir) {
    return FileAuditLog.Options.defaults(dir).withFsyncInterval(Duration.ofMillis(5));
  }

  @Test
  void aUsersPathBlockedByAFileMakesTheLogUnwritableUntilItIsCleared() throws Exception {
    Path users = new StoreLayout(dir).users();
    Files.writeString(users, "not a directory");

    try (FileAuditLog log = FileAuditLog.open(options(dir))) {
      assertThat(log.writable()).as("the start-up probe failed").isFalse();
      Durability refused = log.append(TestEvents.allowedGet("alice", 1, AT)).get(5, TimeUnit.SECONDS);
      assertThat(refused).isInstanceOf(Durability.NotWritten.class);
      assertThat(((Durability.NotWritten) refused).reason()).contains("audit write failed");

      Files.delete(users);
      await().atMost(Duration.ofSeconds(5)).until(log::writable);
      assertThat(log.append(TestEvents.allowedGet("alice", 2, AT)).get(5, TimeUnit.SECONDS))
          .isEqualTo(new Durability.Written("alice", 1));
    }
    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
  }

  @Test
  void aDirectoryWithoutWritePermissionMakesTheLogUnwritableUntilItIsGranted() throws Exception {
    try (FileAuditLog log = FileAuditLog.open(options(dir))) {
      appendAll(log, List.of(TestEvents.allowedGet("alice", 1, AT)));
    }
    Path users = new StoreLayout(dir).users();
    Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Assumptions.assumeFalse(Files.isWritable(users),
          "permissions do not bind this user (root): covered by the other tests");
      try (FileAuditLog log = FileAuditLog.open(options(dir))) {
        assertThat(log.writable()).isFalse();
        assertThat(log.append(TestEvents.allowedGet("bob", 1, AT)).get(5, TimeUnit.SECONDS).written()).isFalse();

        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rwxr-xr-x"));
        await().atMost(Duration.ofSeconds(5)).until(log::writable);
        assertThat(log.append(TestEvents.allowedGet("bob", 2, AT)).get(5, TimeUnit.SECONDS).written()).isTrue();
      }
    } finally {
      Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aFullFilesystemFailsAppendsUntilSpaceIsFreedAndVerifyExplainsTheGap() throws Exception {
    Path mount = dir.resolve("small");
    Files.createDirectories(mount);
    Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()),
        "needs permission to mount a small tmpfs (root with CAP_SYS_ADMIN)");
    try {
      Path audit = mount.resolve("audit");
      try (FileAuditLog log = FileAuditLog.open(options(audit))) {
        appendAll(log, List.of(TestEvents.allowedGet("alice", 1, AT), TestEvents.allowedGet("alice", 2, AT)));
        assertThat(log.writable()).isTrue();

        Path filler = mount.resolve("filler");
        fill(filler);
        List<CompletableFuture<Durability>> refused = new ArrayList<>();
        for (int i = 3; i < 20; i++) {
          refused.add(log.append(TestEvents.allowedGet("alice", i, AT)));
        }
        assertThat(refused.stream().map(CompletableFuture::join).filter(Durability::written))
            .as("nothing fits on a full disk").isEmpty();
        assertThat(log.writable()).isFalse();

        Files.delete(filler);
        await().atMost(Duration.ofSeconds(5)).until(log::writable);
        Durability after = log.append(TestEvents.allowedGet("alice", 99, AT)).get(5, TimeUnit.SECONDS);
        assertThat(after.written()).as("writes resume once there is space").isTrue();
      }
      VerifyReport report = AuditVerifier.trustingKeyIn(audit).verify(audit, Optional.empty());
      assertThat(report.ok()).as(report.describe()).isTrue();
    } finally {
      run("umount", mount.toString());
    }
  }

  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // the filesystem is full now, which is the point
    }
  }

  private static boolean run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
