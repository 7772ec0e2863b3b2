package dev.kgate.audit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a {@code kill -9} leaves: a copy of a live audit directory taken while the log is still
 * open, so no final checkpoint covers the newest lines.
 */
public final class CrashImage {

  private CrashImage() {}

  public static void copy(Path from, Path to) throws IOException {
    List<Path> entries;
    try (Stream<Path> walk = Files.walk(from)) {
      entries = walk.toList();
    }
    for (Path source : entries) {
      Path target = to.resolve(from.relativize(source).toString());
      if (Files.isDirectory(source)) {
        Files.createDirectories(target);
      } else {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
