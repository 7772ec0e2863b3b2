package dev.kgate.audit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Where things live in an audit directory, shared by the writer and the review tools:
 * {@code users/<user-key>/<yyyy-mm-dd>[.N].jsonl} (one hash chain per user, {@code user.json}
 * naming whose it is), {@code checkpoints/*.json} (signed chain heads), the checkpoint key
 * pair {@code checkpoint-key.pem} / {@code checkpoint-key.pub.pem}, and the recordings of exec and
 * attach sessions, {@code sessions/<user-key>/<audit-id>.cast} (asciicast v2, the user key being
 * the chain's {@link ChainKey#dirName}).
 */
public final class StoreLayout {

  public static final String USERS = "users";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String PRIVATE_KEY = "checkpoint-key.pem";
  public static final String PUBLIC_KEY = "checkpoint-key.pub.pem";
  public static final String IDENTITY = "user.json";
  public static final String SESSIONS = "sessions";
  public static final String CAST_SUFFIX = ".cast";

  private final Path root;

  public StoreLayout(Path root) {
    this.root = Objects.requireNonNull(root, "root");
  }

  public Path root() {
    return root;
  }

  public Path users() {
    return root.resolve(USERS);
  }

  public Path checkpoints() {
    return root.resolve(CHECKPOINTS);
  }

  public Path sessions() {
    return root.resolve(SESSIONS);
  }

  /**
   * Where the recording of the session with this audit id is kept, relative to the root, with
   * {@code /} separators as the audit event's annotation names it.
   */
  public static String sessionFile(String userKey, String auditId) {
    if (!ChainKey.isSafeDirName(userKey) || !isSafeAuditId(auditId)) {
      throw new IllegalArgumentException("not a session file name");
    }
    return SESSIONS + "/" + userKey + "/" + auditId + CAST_SUFFIX;
  }

  /** Whether {@code auditId} can name a file: letters, digits and dashes (kgate's are UUIDs). */
  public static boolean isSafeAuditId(String auditId) {
    return auditId != null && auditId.matches("[A-Za-z0-9][A-Za-z0-9-]{0,63}");
  }

  public Path privateKey() {
    return root.resolve(PRIVATE_KEY);
  }

  public Path publicKey() {
    return root.resolve(PUBLIC_KEY);
  }

  /** The directory of the chain whose key is {@code key} (see {@link ChainKey#dirName}). */
  public Path chainDir(String key) {
    if (!ChainKey.isSafeDirName(key)) {
      throw new IllegalArgumentException("not a chain directory name");
    }
    return users().resolve(key);
  }

  /** Every chain directory, sorted by name; empty when there is no {@code users} directory. */
  public List<Path> chainDirs() throws IOException {
    if (!Files.isDirectory(users())) {
      return List.of();
    }
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> entries = Files.list(users())) {
      entries.filter(Files::isDirectory)
          .filter(path -> ChainKey.isSafeDirName(path.getFileName().toString()))
          .sorted()
          .forEach(dirs::add);
    }
    return dirs;
  }
}
