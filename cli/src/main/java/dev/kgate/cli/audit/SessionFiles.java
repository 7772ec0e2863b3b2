package dev.kgate.cli.audit;

import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds session recordings ({@code sessions/<user-key>/<audit-id>.cast}) in an audit directory.
 * A name that would lead outside the directory's {@code sessions/}, through {@code ..} or a link,
 * is treated as not there: review tools read the audit directory and nothing else.
 */
final class SessionFiles {

  private SessionFiles() {}

  /**
   * The recording {@code name} points to: an audit id, a path relative to the audit directory (as
   * the event's annotation gives it), or any path to the file; null when there is none inside.
   */
  static Path inside(Path dir, String name) {
    try {
      if (StoreLayout.isSafeAuditId(name)) {
        return byAuditId(dir, name);
      }
      Path given = Path.of(name);
      Path file = given.isAbsolute() || Files.exists(given) && !Files.exists(dir.resolve(given))
          ? given : dir.resolve(given);
      if (!Files.isRegularFile(file)) {
        return null;
      }
      Path sessions = new StoreLayout(dir).sessions();
      if (!Files.isDirectory(sessions)) {
        return null;
      }
      Path real = file.toRealPath();
      return real.startsWith(sessions.toRealPath()) && real.getFileName().toString().endsWith(StoreLayout.CAST_SUFFIX)
          ? real : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Path byAuditId(Path dir, String auditId) throws IOException {
    Path sessions = new StoreLayout(dir).sessions();
    if (!Files.isDirectory(sessions)) {
      return null;
    }
    List<Path> users;
    try (Stream<Path> entries = Files.list(sessions)) {
      users = entries.sorted().toList();
    }
    for (Path user : users) {
      Path file = user.resolve(auditId + StoreLayout.CAST_SUFFIX);
      if (Files.isRegularFile(file)) {
        return inside(dir, file.toString());
      }
    }
    return null;
  }
}
