package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.UserInfo;
import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.ChainIdentity;
import dev.kgate.audit.store.LineReader;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Follows every chain of an audit directory the way {@code tail -f} follows one file. It keeps a
 * cursor per chain: the chain's newest file and the byte offset after its last complete line. The
 * writer only ever appends to a chain's newest file, so each poll reads that file from the cursor
 * and any file that has appeared after it (size or day rotation); a directory that was not there
 * before (a new user) is read from its first line. A line without its newline is still being
 * written and is left for the next poll. Seal records and lines that do not parse are skipped, as
 * {@code AuditQuery} skips them.
 */
final class LogFollower {

  private static final Comparator<AuditEvent> ORDER =
      Comparator.comparing(AuditEvent::stageTimestamp).thenComparing(AuditEvent::auditId);
  private static final int SCAN_CHUNK = 8192;

  private record Cursor(ChainFile file, long offset) {}

  private final StoreLayout layout;
  private final String user;
  private final Consumer<String> warnings;
  private final Map<Path, Cursor> cursors = new HashMap<>();

  /**
   * @param user     only chains of this user are read (null: every chain); the selection still
   *                 decides which events are printed
   * @param warnings where to say that a file shrank under the follower
   */
  LogFollower(Path dir, String user, Consumer<String> warnings) {
    this.layout = new StoreLayout(Objects.requireNonNull(dir, "dir"));
    this.user = user;
    this.warnings = Objects.requireNonNull(warnings, "warnings");
  }

  /**
   * The last {@code count} matching events written so far, oldest first, and the starting point of
   * {@link #poll}. Each chain is read from its newest file back only until it has yielded {@code
   * count} matches, since an older line of that chain cannot be among the latest.
   */
  List<AuditEvent> start(EventSelection selection, int count) throws IOException {
    List<AuditEvent> latest = new ArrayList<>();
    for (Path chainDir : chainDirs()) {
      List<ChainFile> files = ChainFile.list(chainDir);
      if (files.isEmpty()) {
        continue;
      }
      int found = 0;
      for (int i = files.size() - 1; i >= 0 && found < count; i--) {
        List<AuditEvent> matches = new ArrayList<>();
        long end = read(chainDir.resolve(files.get(i).name()), 0, selection, matches::add);
        if (i == files.size() - 1) {
          cursors.put(chainDir, new Cursor(files.get(i), end));
        }
        latest.addAll(matches);
        found += matches.size();
      }
      if (!cursors.containsKey(chainDir)) {
        ChainFile newest = files.get(files.size() - 1);
        cursors.put(chainDir, new Cursor(newest, completeLength(chainDir.resolve(newest.name()))));
      }
    }
    latest.sort(ORDER);
    return latest.subList(Math.max(0, latest.size() - count), latest.size());
  }

  /** The matching events in complete lines written since the last call, oldest first. */
  List<AuditEvent> poll(EventSelection selection) throws IOException {
    List<AuditEvent> fresh = new ArrayList<>();
    for (Path chainDir : chainDirs()) {
      Cursor cursor = cursors.get(chainDir);
      for (ChainFile file : ChainFile.list(chainDir)) {
        if (cursor != null && file.compareTo(cursor.file()) < 0) {
          continue;
        }
        Path path = chainDir.resolve(file.name());
        long from = cursor != null && file.equals(cursor.file()) ? cursor.offset() : 0;
        long size;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
          size = channel.size();
        } catch (NoSuchFileException gone) {
          continue;
        }
        if (size < from) {
          warnings.accept(layout.root().relativize(path) + " shrank from " + from + " to " + size
              + " bytes while being followed: lines were removed (run kgate audit verify)");
          from = completeLength(path);
        }
        cursor = new Cursor(file, size == from ? from : read(path, from, selection, fresh::add));
        cursors.put(chainDir, cursor);
      }
    }
    fresh.sort(ORDER);
    return fresh;
  }

  private List<Path> chainDirs() throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (Path chainDir : layout.chainDirs()) {
      Optional<String> chain = ChainIdentity.read(chainDir);
      // Without user.json (just created, or lost) the directory is read and events filtered.
      if (user == null || chain.isEmpty() || chain.get().equals(user)
          || (UserInfo.ANONYMOUS.equals(user) && chain.get().startsWith(UserInfo.ANONYMOUS + "@"))) {
        dirs.add(chainDir);
      }
    }
    return dirs;
  }

  /** Hands the matching events of the complete lines from {@code from} on; returns where they end. */
  private static long read(Path file, long from, EventSelection selection, Consumer<AuditEvent> sink)
      throws IOException {
    long end = from;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(from);
      LineReader reader = new LineReader(Channels.newInputStream(channel));
      LineReader.Line line;
      while ((line = reader.next()) != null && line.terminated()) {
        end = from + line.offset() + line.bytes().length + 1;
        AuditEvent event = parse(line.bytes());
        if (event != null && selection.test(event)) {
          sink.accept(event);
        }
      }
    } catch (NoSuchFileException gone) {
      // removed by retention between listing and reading
    }
    return end;
  }

  /** The length of a file up to and including its last newline, found by reading backwards. */
  private static long completeLength(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer chunk = ByteBuffer.allocate(SCAN_CHUNK);
      long end = channel.size();
      while (end > 0) {
        long start = Math.max(0, end - SCAN_CHUNK);
        chunk.clear().limit((int) (end - start));
        while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) >= 0) {
          // fill the chunk
        }
        for (int i = chunk.position() - 1; i >= 0; i--) {
          if (chunk.get(i) == '\n') {
            return start + i + 1;
          }
        }
        end = start;
      }
      return 0;
    } catch (NoSuchFileException gone) {
      return 0;
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
