package dev.kgate.audit.query;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.UserInfo;
import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.ChainIdentity;
import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.LineReader;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Finds events in an audit directory by user, cluster, verb, resource, time and decision. It
 * reads the per-user files directly: a user filter opens only that user's directory, and a
 * {@code since} skips files from days before it. It does not check integrity; that is {@code
 * AuditVerifier}'s job. Seal records and lines that do not parse are skipped.
 */
public final class AuditQuery {

  private final StoreLayout layout;

  public AuditQuery(Path dir) {
    this.layout = new StoreLayout(Objects.requireNonNull(dir, "dir"));
  }

  /** The matching events, oldest first (by stage timestamp, then audit id). */
  public List<AuditEvent> find(AuditFilter filter) throws IOException {
    List<AuditEvent> events = new ArrayList<>();
    scan(filter, events::add);
    events.sort(Comparator.comparing(AuditEvent::stageTimestamp).thenComparing(AuditEvent::auditId));
    return events;
  }

  /** Hands every matching event to {@code sink}, chain by chain, each chain in its order. */
  public void scan(AuditFilter filter, Consumer<AuditEvent> sink) throws IOException {
    Objects.requireNonNull(filter, "filter");
    for (Path chainDir : chainDirs(filter.user())) {
      for (ChainFile file : ChainFile.list(chainDir)) {
        // A file holds what was written on its day; an event can be stamped a little earlier.
        if (filter.since() != null
            && file.date().isBefore(LocalDate.ofInstant(filter.since(), ZoneOffset.UTC).minusDays(1))) {
          continue;
        }
        scanFile(chainDir.resolve(file.name()), filter, sink);
      }
    }
  }

  private List<Path> chainDirs(String user) throws IOException {
    if (user == null) {
      return layout.chainDirs();
    }
    if (!UserInfo.ANONYMOUS.equals(user)) {
      for (String key : List.of(ChainKey.dirName(user), ChainKey.longDirName(user))) {
        Path dir = layout.users().resolve(key);
        if (Files.isDirectory(dir) && ChainIdentity.read(dir).map(user::equals).orElse(true)) {
          return List.of(dir);
        }
      }
    }
    List<Path> dirs = new ArrayList<>();
    for (Path dir : layout.chainDirs()) {
      Optional<String> chain = ChainIdentity.read(dir);
      if (chain.isEmpty() || chain.get().equals(user) || chain.get().startsWith(user + "@")) {
        dirs.add(dir);
      }
    }
    return dirs;
  }

  private static void scanFile(Path file, AuditFilter filter, Consumer<AuditEvent> sink) throws IOException {
    try (LineReader reader = LineReader.open(file)) {
      LineReader.Line line;
      while ((line = reader.next()) != null) {
        if (!line.terminated()) {
          break;
        }
        AuditEvent event = parse(line.bytes());
        if (event != null && filter.test(event)) {
          sink.accept(event);
        }
      }
    }
  }

  private static AuditEvent parse(byte[] bytes) {
    try {
      JsonNode node = AuditEventJson.MAPPER.readTree(bytes);
      if (node == null || !AuditEventJson.KIND.equals(AuditEventJson.text(node, "kind"))) {
        return null;
      }
      return AuditEventJson.read(node);
    } catch (JacksonException | IllegalArgumentException e) {
      return null;
    }
  }
}
