package dev.kgate.cli.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the files of the demo directory. Secrets (keys, tokens, the kubeconfig) are created with
 * mode 0600 before any byte is written, so there is no moment where another user could read them.
 */
final class DemoFiles {

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> OWNER_ONLY =
      Set.copyOf(PosixFilePermissions.fromString("rw-------"));

  private final Path dir;

  DemoFiles(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo directory " + this.dir + ": " + e.getMessage(), e);
    }
  }

  Path dir() {
    return dir;
  }

  /** Writes a file anyone may read (certificates, the gateway config). */
  Path writePublic(String name, String content) {
    Path file = dir.resolve(name);
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** Writes a file only its owner may read or write (mode 0600). */
  Path writePrivate(String name, String content) {
    Path file = dir.resolve(name);
    try {
      // A file left by an earlier run may have looser permissions; start from a fresh one.
      Files.deleteIfExists(file);
      if (POSIX) {
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        Files.createFile(file, ownerOnly);
      } else {
        Files.createFile(file);
      }
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  /** Creates a sub-directory (for the audit log) and returns it. */
  Path directory(String name) {
    Path sub = dir.resolve(name);
    try {
      Files.createDirectories(sub);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + sub + ": " + e.getMessage(), e);
    }
    return sub;
  }
}
