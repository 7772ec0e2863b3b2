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
 * naming whose it is), {@code checkpoints/*.json} (signed chain heads), and the checkpoint key
 * pair {@code checkpoint-key.pem} / {@code checkpoint-key.pub.pem}.
 */
public final class StoreLayout {

  public static final String USERS = "users";
  public static final String CHECKPOINTS = "checkpoints";
  public static final String PRIVATE_KEY = "checkpoint-key.pem";
  public static final String PUBLIC_KEY = "checkpoint-key.pub.pem";
  public static final String IDENTITY = "user.json";

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
