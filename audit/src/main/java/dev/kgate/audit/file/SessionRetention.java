package dev.kgate.audit.file;

import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention by age for session recordings ({@code sessions/<user-key>/<audit-id>.cast}): a
 * recording last written before the retention age is deleted, and a user's directory left empty
 * goes too. Recordings are not part of the hash chain (their event names them), so nothing needs a
 * checkpoint here; they follow the same age as the chain files so that what a person typed is not
 * kept longer than the record of their requests. Runs on the audit writer's thread, with the
 * chain files' retention.
 */
final class SessionRetention {

  private static final Logger LOG = LoggerFactory.getLogger(SessionRetention.class);

  private SessionRetention() {}

  /**
   * @return how many recordings were deleted
   */
  static int sweep(StoreLayout layout, Instant now, Duration retention) {
    Path sessions = layout.sessions();
    if (retention.isZero() || !Files.isDirectory(sessions)) {
      return 0;
    }
    Instant cutoff = now.minus(retention);
    int deleted = 0;
    try (DirectoryStream<Path> users = Files.newDirectoryStream(sessions, Files::isDirectory)) {
      for (Path user : users) {
        deleted += sweepUser(user, cutoff);
      }
    } catch (IOException e) {
      LOG.warn("audit retention could not list {}: {}", sessions, e.toString());
    }
    if (deleted > 0) {
      LOG.info("audit retention deleted {} session recording(s) older than {}", deleted, retention);
    }
    return deleted;
  }

  private static int sweepUser(Path user, Instant cutoff) {
    int deleted = 0;
    boolean empty = true;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(user)) {
      for (Path file : files) {
        if (file.getFileName().toString().endsWith(StoreLayout.CAST_SUFFIX) && Files.isRegularFile(file)
            && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
          Files.deleteIfExists(file);
          deleted++;
        } else {
          empty = false;
        }
      }
    } catch (NoSuchFileException e) {
      return deleted;
    } catch (IOException e) {
      LOG.warn("audit retention could not sweep {}: {}", user, e.toString());
      return deleted;
    }
    if (empty) {
      try {
        Files.deleteIfExists(user);
      } catch (IOException e) {
        // a recording started in it meanwhile: it stays
      }
    }
    return deleted;
  }
}
