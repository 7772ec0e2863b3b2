package dev.kgate.audit.store;

import dev.kgate.audit.AuditEventJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/**
 * The {@code user.json} in a chain directory: the exact chain name the directory belongs to. The
 * directory name alone is a slug and a hash prefix; this file lets the writer detect a prefix
 * clash and lets the review tools find a user's directory by name.
 */
public final class ChainIdentity {

  private ChainIdentity() {}

  /** The chain name recorded in a directory, if the file is there and readable. */
  public static Optional<String> read(Path chainDir) {
    Path file = chainDir.resolve(StoreLayout.IDENTITY);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(AuditEventJson.text(
          AuditEventJson.MAPPER.readTree(Files.readAllBytes(file)), "chain"));
    } catch (IOException | JacksonException e) {
      return Optional.empty();
    }
  }

  /** Writes the file atomically (temp file, fsync, rename); the caller syncs the directory. */
  public static void write(Path chainDir, String chain) throws IOException {
    Path file = chainDir.resolve(StoreLayout.IDENTITY);
    Path temp = chainDir.resolve(StoreLayout.IDENTITY + ".tmp");
    DurableFiles.writeSynced(temp, AuditEventJson.MAPPER.writeValueAsBytes(Map.of("chain", chain)));
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
