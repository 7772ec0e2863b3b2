package dev.kgate.audit.bench;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.Durability;
import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.testing.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * How many events per second the file sink takes with group commit and fsync on: producers
 * append as fast as the queue admits (retrying when it is full), and the clock stops when the
 * last event is durable. Prints one line per run; asserts nothing.
 *
 * <p>Run: {@code java -cp <audit test classpath> dev.kgate.audit.bench.FileAuditLogBenchmark
 * [events] [users] [producers] [maxOpenFiles] [dir]}, or {@code ./mvnw -o -pl audit test
 * -Dtest=FileAuditLogBenchmarkTest -Dkgate.bench=true} (output in the surefire report).
 */
public final class FileAuditLogBenchmark {

  private FileAuditLogBenchmark() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    int users = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int producers = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    int maxOpenFiles = args.length > 3 ? Integer.parseInt(args[3]) : FileAuditLog.Options.DEFAULT_MAX_OPEN_FILES;
    Path base = args.length > 4 ? Path.of(args[4]) : Files.createTempDirectory("kgate-audit-bench");
    run(base.resolve("warm-up"), Math.min(events, 100_000), users, producers, maxOpenFiles, false);
    run(base.resolve("measured"), events, users, producers, maxOpenFiles, true);
    delete(base);
  }

  /** One run; returns events per second. */
  public static double run(Path dir, int events, int users, int producers, int maxOpenFiles,
      boolean print) throws Exception {
    Instant at = Instant.parse("2025-03-01T10:00:00Z");
    AuditEvent[] templates = new AuditEvent[users];
    for (int u = 0; u < users; u++) {
      templates[u] = TestEvents.allowedGet("user-" + u + "@example.com", u, at);
    }
    List<CompletableFuture<Durability>> outcomes = new ArrayList<>(Collections.nCopies(events, null));
    long retries;
    long start;
    long end;
    try (FileAuditLog log = FileAuditLog.open(FileAuditLog.Options.defaults(dir)
        .withFsyncInterval(FileAuditLog.Options.DEFAULT_FSYNC_INTERVAL)
        .withCheckpointInterval(Duration.ofMinutes(10)).withMaxOpenFiles(maxOpenFiles))) {
      long[] retried = new long[producers];
      Thread[] threads = new Thread[producers];
      start = System.nanoTime();
      for (int p = 0; p < producers; p++) {
        int producer = p;
        threads[p] = new Thread(() -> {
          for (int i = producer; i < events; i += producers) {
            AuditEvent event = templates[i % users];
            CompletableFuture<Durability> outcome = log.append(event);
            while (outcome.isDone() && !outcome.join().written()) {
              retried[producer]++;
              LockSupport.parkNanos(20_000);
              outcome = log.append(event);
            }
            outcomes.set(i, outcome);
          }
        }, "bench-producer-" + p);
        threads[p].start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      long failed = 0;
      for (CompletableFuture<Durability> outcome : outcomes) {
        if (!outcome.get(60, TimeUnit.SECONDS).written()) {
          failed++;
        }
      }
      end = System.nanoTime();
      retries = java.util.Arrays.stream(retried).sum();
      if (failed > 0) {
        throw new IllegalStateException(failed + " events not written");
      }
    }
    double seconds = (end - start) / 1e9;
    double rate = events / seconds;
    if (print) {
      long bytes = size(dir.resolve("users"));
      System.out.printf("audit file sink: %,d events, %d users, %d producer(s), %d open files,"
              + " fsync every %d ms: %.2f s, %,.0f events/s, %.1f MB/s, %,d queue-full retries%n",
          events, users, producers, maxOpenFiles, FileAuditLog.Options.DEFAULT_FSYNC_INTERVAL.toMillis(), seconds,
          rate, bytes / seconds / 1e6, retries);
    }
    return rate;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(path -> path.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  static List<String> defaults() {
    return List.of("500000", "100", "1");
  }
}
