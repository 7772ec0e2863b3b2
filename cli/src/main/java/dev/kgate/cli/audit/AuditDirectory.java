package dev.kgate.cli.audit;

import dev.kgate.audit.store.StoreLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --dir} option every audit command takes, checked before anything is read: a path that
 * does not exist, or is not an audit directory at all (no {@code users/}, no {@code checkpoints/},
 * no checkpoint key), is a usage error rather than an empty result that looks like "all clear".
 */
final class AuditDirectory {

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "The audit directory (audit.dir in the gateway configuration).")
  private Path dir;

  /** The directory, once it is known to exist and to look like an audit directory. */
  Path existing() {
    if (!Files.exists(dir)) {
      throw new UsageException("audit directory does not exist: " + dir);
    }
    if (!Files.isDirectory(dir)) {
      throw new UsageException("not a directory: " + dir);
    }
    StoreLayout layout = new StoreLayout(dir);
    if (!Files.isDirectory(layout.users()) && !Files.isDirectory(layout.checkpoints())
        && !Files.exists(layout.publicKey()) && !Files.exists(layout.privateKey())) {
      throw new UsageException("not an audit directory (no " + StoreLayout.USERS + "/, "
          + StoreLayout.CHECKPOINTS + "/ or checkpoint key): " + dir);
    }
    return dir;
  }
}
