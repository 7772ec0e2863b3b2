package dev.kgate.audit.testing;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.Durability;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** Reading and damaging audit files in tests, the way an attacker with a shell would. */
public final class AuditFiles {

  private AuditFiles() {}

  /** The directory of a user's chain. */
  public static Path chainDir(Path root, String user) {
    return new StoreLayout(root).chainDir(ChainKey.dirName(user));
  }

  /** A user's chain file. */
  public static Path chainFile(Path root, String user, String name) {
    return chainDir(root, user).resolve(name);
  }

  /** The chain files of a user, in name order. */
  public static List<Path> chainFiles(Path root, String user) throws IOException {
    try (Stream<Path> files = Files.list(chainDir(root, user))) {
      return files.filter(path -> path.toString().endsWith(".jsonl")).sorted().toList();
    }
  }

  /** The lines of a file, without newlines. */
  public static List<String> lines(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** A line parsed. */
  public static JsonNode json(String line) {
    return AuditEventJson.MAPPER.readTree(line);
  }

  /** The event on a line. */
  public static AuditEvent event(String line) {
    return AuditEventJson.read(json(line));
  }

  /** Writes lines back, each with its newline. */
  public static void writeLines(Path file, List<String> lines) throws IOException {
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
  }

  /** Appends and waits until each event is durable, failing if one is not. */
  public static void appendAll(FileAuditLog log, List<AuditEvent> events) throws Exception {
    List<CompletableFuture<Durability>> futures = new ArrayList<>();
    for (AuditEvent event : events) {
      futures.add(log.append(event));
    }
    for (CompletableFuture<Durability> future : futures) {
      Durability outcome = future.get(10, TimeUnit.SECONDS);
      if (!outcome.written()) {
        throw new AssertionError("event not written: " + outcome);
      }
    }
  }
}
