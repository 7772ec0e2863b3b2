package dev.kgate.sim.stream.container;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The filesystem of one simulated container, held in memory. Exec sessions of the same pod share
 * it, possibly from different event loops, so every method is synchronized; nothing here does I/O
 * and every call is short. Paths are absolute and normalized by {@link #resolve}; failures come
 * back as {@link FsResult} values, which the commands turn into the messages a coreutils binary
 * would print.
 */
public final class InMemoryFileSystem {

  /** Outcome of a mutating call. */
  public enum FsResult {
    OK,
    NO_SUCH_FILE,
    NOT_A_DIRECTORY,
    IS_A_DIRECTORY,
    ALREADY_EXISTS,
    NOT_EMPTY
  }

  /** What {@link #stat} knows about a path. */
  public record Entry(String path, boolean directory, long size, int mode, Instant modified) {}

  private static final int DIRECTORY_MODE = 0755;
  private static final int FILE_MODE = 0644;

  private record Node(boolean directory, byte[] content, int mode, Instant modified) {}

  private final Clock clock;
  private final TreeMap<String, Node> nodes = new TreeMap<>();

  public InMemoryFileSystem(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    nodes.put("/", new Node(true, null, DIRECTORY_MODE, clock.instant()));
  }

  /** Resolves {@code path} against {@code cwd}, folding {@code .}, {@code ..} and repeated slashes. */
  public static String resolve(String cwd, String path) {
    String joined = path.startsWith("/") ? path : cwd + "/" + path;
    Deque<String> parts = new ArrayDeque<>();
    for (String part : joined.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return parts.isEmpty() ? "/" : "/" + String.join("/", parts);
  }

  /** The parent directory of a normalized path; the root is its own parent. */
  public static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /** The last element of a normalized path ({@code "/"} for the root). */
  public static String nameOf(String path) {
    return path.equals("/") ? "/" : path.substring(path.lastIndexOf('/') + 1);
  }

  public synchronized boolean exists(String path) {
    return nodes.containsKey(path);
  }

  public synchronized boolean isDirectory(String path) {
    Node node = nodes.get(path);
    return node != null && node.directory();
  }

  public synchronized boolean isFile(String path) {
    Node node = nodes.get(path);
    return node != null && !node.directory();
  }

  public synchronized Optional<Entry> stat(String path) {
    Node node = nodes.get(path);
    if (node == null) {
      return Optional.empty();
    }
    long size = node.directory() ? 4096 : node.content().length;
    return Optional.of(new Entry(path, node.directory(), size, node.mode(), node.modified()));
  }

  /** The content of a regular file; empty if the path is missing or a directory. */
  public synchronized Optional<byte[]> read(String path) {
    Node node = nodes.get(path);
    if (node == null || node.directory()) {
      return Optional.empty();
    }
    return Optional.of(node.content().clone());
  }

  /** Names of a directory's children, sorted; empty if the path is not a directory. */
  public synchronized Optional<List<String>> list(String directory) {
    Node node = nodes.get(directory);
    if (node == null || !node.directory()) {
      return Optional.empty();
    }
    String prefix = directory.equals("/") ? "/" : directory + "/";
    List<String> names = new ArrayList<>();
    for (String path : nodes.tailMap(prefix, false).keySet()) {
      if (!path.startsWith(prefix)) {
        break;
      }
      String rest = path.substring(prefix.length());
      if (!rest.isEmpty() && rest.indexOf('/') < 0) {
        names.add(rest);
      }
    }
    return Optional.of(names);
  }

  /** Creates or replaces (or appends to) a regular file whose parent directory exists. */
  public synchronized FsResult write(String path, byte[] content, boolean append, int mode) {
    Node existing = nodes.get(path);
    if (existing != null && existing.directory()) {
      return FsResult.IS_A_DIRECTORY;
    }
    FsResult parent = checkParent(path);
    if (parent != FsResult.OK) {
      return parent;
    }
    byte[] data = content;
    if (append && existing != null) {
      data = new byte[existing.content().length + content.length];
      System.arraycopy(existing.content(), 0, data, 0, existing.content().length);
      System.arraycopy(content, 0, data, existing.content().length, content.length);
    }
    int effectiveMode = existing != null && append ? existing.mode() : mode;
    nodes.put(path, new Node(false, data.clone(), effectiveMode, clock.instant()));
    return FsResult.OK;
  }

  public FsResult write(String path, byte[] content) {
    return write(path, content, false, FILE_MODE);
  }

  /** Creates a directory; with {@code parents}, also its missing ancestors and no error if it exists. */
  public synchronized FsResult mkdir(String path, boolean parents) {
    Node existing = nodes.get(path);
    if (existing != null) {
      return parents && existing.directory() ? FsResult.OK : FsResult.ALREADY_EXISTS;
    }
    if (parents) {
      String parent = parentOf(path);
      if (!parent.equals(path)) {
        FsResult result = mkdir(parent, true);
        if (result != FsResult.OK) {
          return result == FsResult.ALREADY_EXISTS ? FsResult.NOT_A_DIRECTORY : result;
        }
      }
    } else {
      FsResult parent = checkParent(path);
      if (parent != FsResult.OK) {
        return parent;
      }
    }
    nodes.put(path, new Node(true, null, DIRECTORY_MODE, clock.instant()));
    return FsResult.OK;
  }

  /** Removes a file, or a directory (which must be empty unless {@code recursive}). */
  public synchronized FsResult remove(String path, boolean recursive) {
    Node node = nodes.get(path);
    if (node == null) {
      return FsResult.NO_SUCH_FILE;
    }
    if (node.directory()) {
      String prefix = path.equals("/") ? "/" : path + "/";
      List<String> below = new ArrayList<>();
      for (String candidate : nodes.tailMap(prefix, false).keySet()) {
        if (!candidate.startsWith(prefix)) {
          break;
        }
        below.add(candidate);
      }
      if (!below.isEmpty() && !recursive) {
        return FsResult.NOT_EMPTY;
      }
      below.forEach(nodes::remove);
    }
    if (!path.equals("/")) {
      nodes.remove(path);
    }
    return FsResult.OK;
  }

  private FsResult checkParent(String path) {
    Node parent = nodes.get(parentOf(path));
    if (parent == null) {
      return FsResult.NO_SUCH_FILE;
    }
    return parent.directory() ? FsResult.OK : FsResult.NOT_A_DIRECTORY;
  }
}
