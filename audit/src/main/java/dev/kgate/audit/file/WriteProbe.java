package dev.kgate.audit.file;

import dev.kgate.audit.store.DurableFiles;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that the audit directory takes writes right now: creates, fsyncs and deletes a one-byte
 * file where chains and checkpoints live. A read-only mount, a full disk, a missing permission or
 * a path blocked by a file all fail it.
 */
final class WriteProbe {

  private static final String NAME = ".write-probe";

  private WriteProbe() {}

  static void run(StoreLayout layout) throws IOException {
    for (Path dir : new Path[] {layout.users(), layout.checkpoints()}) {
      Files.createDirectories(dir);
      Path probe = dir.resolve(NAME);
      DurableFiles.writeSynced(probe, new byte[] {'\n'});
      Files.delete(probe);
    }
  }
}
