package dev.kgate.audit.file;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Durability;
import dev.kgate.audit.query.AuditFilter;
import dev.kgate.audit.query.AuditQuery;
import dev.kgate.audit.store.ChainIdentity;
import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.audit.testing.TestEvents;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usernames come from tokens; none of them may steer a write outside its own directory. */
class CraftedUsernamesTest {

  private static final Instant AT = Instant.parse("2025-03-01T10:00:00Z");
  private static final List<String> NAMES = List.of("../../etc", "a/b", "..", "alice", "ALICE",
      "älice", "用户@example.com", "x".repeat(50_000), "..\\..\\windows");

  @TempDir
  Path dir;

  private FileAuditLog open() {
    return FileAuditLog.open(FileAuditLog.Options.defaults(dir).withFsyncInterval(Duration.ofMillis(5)));
  }

  @Test
  void craftedUsernamesStayInsideUsersAndDoNotCollide() throws Exception {
    List<AuditEvent> events = new ArrayList<>();
    for (String name : NAMES) {
      events.add(TestEvents.allowedGet(name, 1, AT));
      events.add(TestEvents.allowedGet(name, 2, AT));
    }
    try (FileAuditLog log = open()) {
      appendAll(log, events);
    }

    Path users = new StoreLayout(dir).users();
    List<Path> created;
    try (Stream<Path> all = Files.walk(dir)) {
      created = all.filter(path -> !path.equals(dir)).toList();
    }
    assertThat(created).allSatisfy(path -> assertThat(path.normalize()).startsWith(dir));
    try (Stream<Path> dirs = Files.list(users)) {
      List<Path> chainDirs = dirs.toList();
      assertThat(chainDirs).as("one directory per distinct name").hasSize(NAMES.size());
      assertThat(chainDirs).extracting(path -> ChainIdentity.read(path).orElseThrow())
          .containsExactlyInAnyOrderElementsOf(NAMES);
    }
    AuditQuery query = new AuditQuery(dir);
    for (String name : NAMES) {
      assertThat(query.find(AuditFilter.any().withUser(name)))
          .as("exactly %s's events", name.length() > 40 ? name.substring(0, 40) + "…" : name)
          .extracting(event -> event.user().username()).containsExactly(name, name);
    }
    VerifyReport report = AuditVerifier.trustingKeyIn(dir).verify(dir, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
  }

  @Test
  void aDirectoryClaimedByAnotherNameMakesTheWriterUseTheFullHash() throws Exception {
    Path squatted = new StoreLayout(dir).chainDir(ChainKey.dirName("mallory"));
    Files.createDirectories(squatted);
    ChainIdentity.write(squatted, "someone-else");

    try (FileAuditLog log = open()) {
      appendAll(log, List.of(TestEvents.allowedGet("mallory", 1, AT)));
    }

    Path own = new StoreLayout(dir).chainDir(ChainKey.longDirName("mallory"));
    assertThat(ChainIdentity.read(own)).contains("mallory");
    try (Stream<Path> files = Files.list(squatted)) {
      assertThat(files.map(path -> path.getFileName().toString())).containsExactly("user.json");
    }
  }

  @Test
  void whenTheQueueIsFullAppendsAreRefusedAtOnceInsteadOfBlocking() throws Exception {
    List<CompletableFuture<Durability>> outcomes = new ArrayList<>();
    try (FileAuditLog log = FileAuditLog.open(FileAuditLog.Options.defaults(dir)
        .withFsyncInterval(Duration.ofMillis(20)).withQueueCapacity(1))) {
      AuditEvent event = TestEvents.allowedGet("alice", 1, AT);
      for (int i = 0; i < 20_000; i++) {
        outcomes.add(log.append(event));
      }
    }

    List<Durability> results = outcomes.stream().map(CompletableFuture::join).toList();
    assertThat(results).filteredOn(result -> !result.written())
        .isNotEmpty()
        .allSatisfy(result -> assertThat(((Durability.NotWritten) result).reason()).contains("queue is full"));
    assertThat(results).filteredOn(Durability::written).isNotEmpty();
  }
}
