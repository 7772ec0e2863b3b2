package dev.kgate.audit.file;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.AuditLog;
import dev.kgate.audit.Durability;
import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.CheckpointKeys;
import dev.kgate.audit.store.SigningKey;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-user, tamper-evident audit log on local disk.
 *
 * <p>Layout ({@link StoreLayout}): {@code DIR/users/<user-key>/<yyyy-mm-dd>[.N].jsonl}, one hash
 * chain per user (per source network for unauthenticated requests, see {@link ChainKey}); every
 * line ends with {@code "seq"} and {@code "prevHash"} (SHA-256 of the previous line of that
 * user's chain, across files). A single writer thread takes events from a bounded queue, writes
 * them, and fsyncs as a group once the queue is quiet for a millisecond, at the latest every
 * {@code fsyncInterval}; {@link #append}'s future completes after that fsync. Files rotate by UTC day and by {@code maxFileBytes}; files entirely older
 * than {@code retention} are deleted (never a chain's last file) after a checkpoint has recorded
 * it. Every {@code checkpointInterval}, if anything changed, a checkpoint of every chain's head is
 * written to {@code DIR/checkpoints/} and signed. On start every chain is re-read: a torn last
 * line (crash mid-write) is cut and sealed with a continuation record that says what was cut.
 *
 * <p>Signing key: {@link Options#signingKey()}, an Ed25519 or ECDSA P-256 PKCS#8 PEM file; when
 * it is null, {@code DIR/checkpoint-key.pem} is used, and generated (Ed25519, mode 0600) if
 * absent. The public key is written to {@code DIR/checkpoint-key.pub.pem} for {@code verify}.
 * Whoever can write {@code DIR} can replace both, so keep the private key elsewhere and give
 * reviewers the public key from a trusted place if that matters.
 *
 * <p>When a write, fsync or checkpoint fails, the events concerned complete as {@link
 * Durability.NotWritten} and {@link #writable()} turns false; a probe (create, fsync, delete a
 * small file) runs every 100 ms and turns it true again once the directory takes writes.
 */
public final class FileAuditLog implements AuditLog {

  private static final Logger LOG = LoggerFactory.getLogger(FileAuditLog.class);
  /** Threads that fsync many chain files side by side at the end of a busy window. */
  private static final int FSYNC_THREADS = 8;

  /**
   * Settings of a {@link FileAuditLog}; start from {@link #defaults(Path)}.
   *
   * @param dir                the audit directory
   * @param fsyncInterval      the longest group-commit window, under a steady stream of events (default 50 ms)
   * @param maxFileBytes       a chain file is rotated before passing this size (default 64 MiB)
   * @param retention          files older than this are deleted; {@link Duration#ZERO} keeps all (default 90 days)
   * @param checkpointInterval how often a checkpoint is written if anything changed (default 1 min)
   * @param signingKey         the checkpoint key PEM, or null for {@code DIR/checkpoint-key.pem}
   * @param clock              the time for file days, seals, checkpoints and retention
   * @param queueCapacity      events waiting for the writer before appends are refused (default 65,536)
   * @param maxOpenFiles       chain files kept open at once (default 1,024)
   */
  public record Options(Path dir, Duration fsyncInterval, long maxFileBytes, Duration retention,
      Duration checkpointInterval, Path signingKey, Clock clock, int queueCapacity,
      int maxOpenFiles) {

    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(50);
    public static final long DEFAULT_MAX_FILE_BYTES = 64L * 1024 * 1024;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;
    public static final int DEFAULT_MAX_OPEN_FILES = 1024;

    public Options {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(fsyncInterval, "fsyncInterval");
      Objects.requireNonNull(retention, "retention");
      Objects.requireNonNull(checkpointInterval, "checkpointInterval");
      Objects.requireNonNull(clock, "clock");
      if (fsyncInterval.isNegative() || fsyncInterval.isZero()) {
        throw new IllegalArgumentException("fsyncInterval must be positive");
      }
      if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
        throw new IllegalArgumentException("checkpointInterval must be positive");
      }
      if (retention.isNegative()) {
        throw new IllegalArgumentException("retention must not be negative");
      }
      if (maxFileBytes < 4096) {
        throw new IllegalArgumentException("maxFileBytes must be at least 4096");
      }
      if (queueCapacity < 1 || maxOpenFiles < 1) {
        throw new IllegalArgumentException("queueCapacity and maxOpenFiles must be positive");
      }
    }

    /** The defaults for a directory, with the system UTC clock. */
    public static Options defaults(Path dir) {
      return new Options(dir, DEFAULT_FSYNC_INTERVAL, DEFAULT_MAX_FILE_BYTES, DEFAULT_RETENTION,
          DEFAULT_CHECKPOINT_INTERVAL, null, Clock.systemUTC(), DEFAULT_QUEUE_CAPACITY,
          DEFAULT_MAX_OPEN_FILES);
    }

    public Options withFsyncInterval(Duration value) {
      return new Options(dir, value, maxFileBytes, retention, checkpointInterval, signingKey, clock, queueCapacity, maxOpenFiles);
    }

    public Options withMaxFileBytes(long value) {
      return new Options(dir, fsyncInterval, value, retention, checkpointInterval, signingKey, clock, queueCapacity, maxOpenFiles);
    }

    public Options withRetention(Duration value) {
      return new Options(dir, fsyncInterval, maxFileBytes, value, checkpointInterval, signingKey, clock, queueCapacity, maxOpenFiles);
    }

    public Options withCheckpointInterval(Duration value) {
      return new Options(dir, fsyncInterval, maxFileBytes, retention, value, signingKey, clock, queueCapacity, maxOpenFiles);
    }

    public Options withSigningKey(Path value) {
      return new Options(dir, fsyncInterval, maxFileBytes, retention, checkpointInterval, value, clock, queueCapacity, maxOpenFiles);
    }

    public Options withClock(Clock value) {
      return new Options(dir, fsyncInterval, maxFileBytes, retention, checkpointInterval, signingKey, value, queueCapacity, maxOpenFiles);
    }

    public Options withQueueCapacity(int value) {
      return new Options(dir, fsyncInterval, maxFileBytes, retention, checkpointInterval, signingKey, clock, value, maxOpenFiles);
    }

    public Options withMaxOpenFiles(int value) {
      return new Options(dir, fsyncInterval, maxFileBytes, retention, checkpointInterval, signingKey, clock, queueCapacity, value);
    }
  }

  private final StoreLayout layout;
  private final SigningKey key;
  private final BlockingQueue<Object> queue;
  private final ConcurrentLinkedQueue<Runnable> commands;
  private final AtomicBoolean healthy;
  private final AuditWriter writer;
  private final ExecutorService fsyncPool;
  private final Thread thread;
  private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private FileAuditLog(Options options, StoreLayout layout, SigningKey key, AtomicBoolean healthy,
      ChainStore chains, CheckpointWriter checkpoints) {
    this.layout = layout;
    this.key = key;
    this.healthy = healthy;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.commands = new ConcurrentLinkedQueue<>();
    this.fsyncPool = Executors.newFixedThreadPool(FSYNC_THREADS, runnable -> {
      Thread thread = new Thread(runnable, "kgate-audit-fsync");
      thread.setDaemon(true);
      return thread;
    });
    // The writer calls back only from its own thread, which starts after this constructor.
    this.writer = new AuditWriter(options, layout, queue, commands, healthy, chains, checkpoints,
        fsyncPool, this::refuseAppends);
    this.thread = new Thread(writer, "kgate-audit-writer");
    thread.setDaemon(true);
  }

  /**
   * Opens the log: loads or creates the signing key, recovers every chain (sealing torn lines),
   * probes the directory and starts the writer. A directory that cannot be written makes a log
   * that is not {@link #writable()}, not an exception; a signing key that cannot be read, or
   * generated and stored, is one ({@link IllegalArgumentException}, {@link UncheckedIOException}).
   */
  public static FileAuditLog open(Options options) {
    Objects.requireNonNull(options, "options");
    StoreLayout layout = new StoreLayout(options.dir());
    SigningKey key = signingKey(options, layout);
    AtomicBoolean healthy = new AtomicBoolean(true);
    ChainStore chains = new ChainStore(layout, options.clock(), options.maxOpenFiles());
    CheckpointWriter checkpoints = new CheckpointWriter(layout, key, options.clock(), options.retention());
    try {
      if (!chains.loadAll(checkpoints.resume())) {
        healthy.set(false);
      }
    } catch (IOException e) {
      LOG.warn("Cannot read audit directory {} at start-up", options.dir(), e);
      healthy.set(false);
    }
    try {
      WriteProbe.run(layout);
    } catch (IOException e) {
      LOG.warn("Audit directory {} is not writable: {}", options.dir(), e.toString());
      healthy.set(false);
    }
    FileAuditLog log = new FileAuditLog(options, layout, key, healthy, chains, checkpoints);
    log.thread.start();
    LOG.info("Audit log at {} (checkpoint key {} {})", options.dir(), key.algorithm(), key.keyId());
    return log;
  }

  @Override
  public CompletableFuture<Durability> append(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    PendingEvent pending;
    try {
      pending = new PendingEvent(ChainKey.chainOf(event), AuditEventJson.write(event));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new Durability.NotWritten("event could not be serialized: " + e.getMessage()));
    }
    closeLock.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.completedFuture(new Durability.NotWritten("audit log is closed"));
      }
      if (!queue.offer(pending)) {
        return CompletableFuture.completedFuture(new Durability.NotWritten("audit queue is full"));
      }
    } finally {
      closeLock.readLock().unlock();
    }
    return pending.future;
  }

  @Override
  public boolean writable() {
    return healthy.get() && queue.remainingCapacity() > 0 && !closed;
  }

  /**
   * Applies retention and writes a checkpoint now, if anything changed since the last one. It
   * covers every event whose append future has completed. Empty when nothing was written or the
   * log is closed (closing writes a last checkpoint).
   */
  public CompletableFuture<Optional<Path>> checkpoint() {
    CompletableFuture<Optional<Path>> done = new CompletableFuture<>();
    closeLock.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.completedFuture(Optional.empty());
      }
      // The writer runs its commands once more after it refuses appends, so this one is not lost.
      commands.add(() -> done.complete(writer.maintain()));
    } finally {
      closeLock.readLock().unlock();
    }
    queue.offer(AuditWriter.WAKE);
    return done;
  }

  /** Events waiting for the writer. */
  public int queueDepth() {
    return queue.size();
  }

  /** The writer's cumulative commit and failure counters. */
  public WriterStats stats() {
    return writer.stats();
  }

  /** The public key checkpoints are signed with, what {@code verify} should trust. */
  public PublicKey checkpointPublicKey() {
    return key.publicKey();
  }

  /** The audit directory. */
  public Path dir() {
    return layout.root();
  }

  @Override
  public void close() {
    closeLock.writeLock().lock();
    try {
      if (closed && !thread.isAlive()) {
        return;
      }
      closed = true;
    } finally {
      closeLock.writeLock().unlock();
    }
    writer.stop();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fsyncPool.shutdown();
    }
  }

  /** Called by the writer as it stops for any reason: later appends are refused, not lost. */
  private void refuseAppends() {
    closeLock.writeLock().lock();
    try {
      closed = true;
    } finally {
      closeLock.writeLock().unlock();
    }
  }

  private static SigningKey signingKey(Options options, StoreLayout layout) {
    try {
      SigningKey key;
      if (options.signingKey() != null) {
        key = CheckpointKeys.load(options.signingKey());
      } else if (Files.exists(layout.privateKey())) {
        key = CheckpointKeys.load(layout.privateKey());
      } else {
        key = CheckpointKeys.generate();
        Files.createDirectories(layout.root());
        CheckpointKeys.writePrivate(layout.privateKey(), key);
        LOG.info("Generated audit checkpoint key {} at {}", key.keyId(), layout.privateKey());
      }
      publishPublicKey(layout, key);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load or create the audit checkpoint key", e);
    }
  }

  private static void publishPublicKey(StoreLayout layout, SigningKey key) {
    try {
      Path file = layout.publicKey();
      if (Files.exists(file)) {
        try {
          if (Arrays.equals(CheckpointKeys.readPublic(file).getEncoded(), key.publicKey().getEncoded())) {
            return;
          }
        } catch (IllegalArgumentException e) {
          // unreadable: replace it
        }
      }
      Files.createDirectories(layout.root());
      CheckpointKeys.writePublic(file, key.publicKey());
    } catch (IOException e) {
      LOG.warn("Cannot write the audit checkpoint public key to {}: {}", layout.publicKey(), e.toString());
    }
  }
}
