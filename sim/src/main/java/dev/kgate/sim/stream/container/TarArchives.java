package dev.kgate.sim.stream.container;

import dev.kgate.sim.stream.container.InMemoryFileSystem.Entry;
import dev.kgate.sim.stream.container.InMemoryFileSystem.FsResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Reads and writes tar archives against the in-memory filesystem with commons-compress, naming
 * members the way GNU tar does: the path as given with leading slashes removed (so {@code tar cf -
 * /tmp/foo} holds {@code tmp/foo}, which is the prefix {@code kubectl cp} checks for), directories
 * followed by their contents. Every problem is collected as the line GNU tar would print.
 */
final class TarArchives {

  private static final int FILE_TYPE = 0100000;
  private static final int DIRECTORY_TYPE = 040000;
  private static final int DEFAULT_UMASK = 022;

  /** An archive (or listing) and the complaints met while making it. */
  record Result(byte[] bytes, List<String> errors) {}

  private TarArchives() {}

  /** Archives {@code operands}, resolved against {@code base}; names keep the operand's spelling. */
  static Result create(InMemoryFileSystem fs, String base, List<String> operands, List<String> verboseNames) {
    List<String> errors = new ArrayList<>();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean strippedSlash = false;
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (String operand : operands) {
        String path = InMemoryFileSystem.resolve(base, operand);
        String name = stripTrailingSlashes(operand);
        if (name.startsWith("/")) {
          name = name.replaceFirst("^/+", "");
          if (!strippedSlash) {
            errors.add("tar: Removing leading `/' from member names");
            strippedSlash = true;
          }
        }
        if (!fs.exists(path)) {
          errors.add("tar: " + operand + ": Cannot stat: No such file or directory");
          continue;
        }
        addRecursively(tar, fs, path, name.isEmpty() ? "." : name, verboseNames);
      }
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(bytes.toByteArray(), errors);
  }

  private static void addRecursively(TarArchiveOutputStream tar, InMemoryFileSystem fs, String path,
      String name, List<String> verboseNames) throws IOException {
    Optional<Entry> stat = fs.stat(path);
    if (stat.isEmpty()) {
      return;
    }
    Entry entry = stat.get();
    String memberName = entry.directory() ? name + "/" : name;
    TarArchiveEntry member = new TarArchiveEntry(memberName);
    member.setMode((entry.directory() ? DIRECTORY_TYPE : FILE_TYPE) | (entry.mode() & 07777));
    member.setModTime(Date.from(entry.modified()));
    member.setUserName("root");
    member.setGroupName("root");
    byte[] content = entry.directory() ? new byte[0] : fs.read(path).orElse(new byte[0]);
    member.setSize(content.length);
    tar.putArchiveEntry(member);
    tar.write(content);
    tar.closeArchiveEntry();
    verboseNames.add(memberName);
    if (entry.directory()) {
      for (String child : fs.list(path).orElse(List.of())) {
        addRecursively(tar, fs, InMemoryFileSystem.resolve(path, child), name + "/" + child, verboseNames);
      }
    }
  }

  /** Extracts {@code archive} below {@code directory}; returns the member names in {@code bytes} as text. */
  static Result extract(InMemoryFileSystem fs, String directory, byte[] archive, boolean samePermissions,
      boolean listOnly) {
    List<String> errors = new ArrayList<>();
    StringBuilder names = new StringBuilder();
    boolean strippedSlash = false;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(archive))) {
      for (TarArchiveEntry member; (member = tar.getNextEntry()) != null; ) {
        String name = member.getName();
        names.append(name).append('\n');
        if (listOnly) {
          continue;
        }
        if (name.startsWith("/")) {
          name = name.replaceFirst("^/+", "");
          if (!strippedSlash) {
            errors.add("tar: Removing leading `/' from member names");
            strippedSlash = true;
          }
        }
        if (List.of(name.split("/")).contains("..")) {
          errors.add("tar: " + name + ": Member name contains '..'");
          continue;
        }
        String target = InMemoryFileSystem.resolve(directory, name);
        int mode = (member.getMode() & 07777) & (samePermissions ? 07777 : ~DEFAULT_UMASK);
        if (member.isDirectory()) {
          report(errors, name, fs.mkdir(target, true));
        } else if (member.isFile()) {
          FsResult parent = fs.mkdir(InMemoryFileSystem.parentOf(target), true);
          if (parent != FsResult.OK) {
            report(errors, name, parent);
            continue;
          }
          report(errors, name, fs.write(target, tar.readAllBytes(), false, mode));
        } else {
          errors.add("tar: " + name + ": Cannot create: Operation not supported in the simulated container");
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      errors.add("tar: This does not look like a tar archive");
    }
    return new Result(names.toString().getBytes(StandardCharsets.UTF_8), errors);
  }

  private static void report(List<String> errors, String name, FsResult result) {
    if (result != FsResult.OK) {
      errors.add("tar: " + name + ": Cannot open: " + Coreutils.describe(result));
    }
  }

  private static String stripTrailingSlashes(String operand) {
    String name = operand;
    while (name.length() > 1 && name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return name;
  }
}
