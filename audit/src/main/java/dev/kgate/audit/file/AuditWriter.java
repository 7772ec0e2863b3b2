package dev.kgate.audit.file;

import dev.kgate.audit.store.ChainLine;
import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.audit.store.DurableFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer thread behind {@link FileAuditLog}. It takes events from the bounded queue,
 * chains and writes them as they come (so a killed process loses only what was still queued),
 * and at the end of each commit window fsyncs every file it touched and completes the events'
 * futures: group commit. A window ends once the queue has been quiet for {@link #LINGER_NANOS},
 * or after {@code fsyncInterval} under a steady stream: the gateway holds each answer's end until
 * its event is durable, so a lone event must not wait out a whole interval. Between windows it probes the directory, applies retention and writes
 * checkpoints. A failure fails the affected events and marks the log unwritable until a probe
 * succeeds; the failed chain is re-read from disk (sealing any torn line) on its next event.
 */
final class AuditWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);

  /** Put on the queue to wake the writer without an event. */
  static final Object WAKE = new Object();

  private static final long PROBE_WHEN_FAILING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long PROBE_WHEN_HEALTHY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int DRAIN_CHUNK = 4096;
  private static final int SUFFIX_BYTES = 120;
  private static final int PARALLEL_FSYNC_MIN = 4;
  /** How long a window waits for one more event before it commits what it has. */
  static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private final FileAuditLog.Options options;
  private final StoreLayout layout;
  private final BlockingQueue<Object> queue;
  private final Queue<Runnable> commands;
  private final AtomicBoolean healthy;
  private final ChainStore chains;
  private final CheckpointWriter checkpoints;
  private final Executor fsyncPool;
  private final Runnable onStop;
  private final MessageDigest digest = dev.kgate.audit.store.LineHash.sha256();
  private final HexFormat hex = HexFormat.of();
  private final long windowNanos;
  private final long checkpointNanos;
  private final WriterStats stats = new WriterStats();

  private volatile boolean closing;
  private boolean changedSinceCheckpoint;
  private long nextProbe;
  private long nextMaintenance;

  AuditWriter(FileAuditLog.Options options, StoreLayout layout, BlockingQueue<Object> queue,
      Queue<Runnable> commands, AtomicBoolean healthy, ChainStore chains,
      CheckpointWriter checkpoints, Executor fsyncPool, Runnable onStop) {
    this.options = options;
    this.layout = layout;
    this.queue = queue;
    this.commands = commands;
    this.healthy = healthy;
    this.chains = chains;
    this.checkpoints = checkpoints;
    this.fsyncPool = fsyncPool;
    this.onStop = onStop;
    this.windowNanos = options.fsyncInterval().toNanos();
    this.checkpointNanos = options.checkpointInterval().toNanos();
    long now = System.nanoTime();
    this.nextProbe = now + (healthy.get() ? PROBE_WHEN_HEALTHY_NANOS : PROBE_WHEN_FAILING_NANOS);
    this.nextMaintenance = now + checkpointNanos;
    // Start-up recovery may have sealed chains or found heads no checkpoint covers yet.
    this.changedSinceCheckpoint = true;
  }

  WriterStats stats() {
    return stats;
  }

  /** Asks the loop to drain the queue, write a last checkpoint and stop. */
  void stop() {
    closing = true;
    queue.offer(WAKE);
  }

  @Override
  public void run() {
    try {
      while (true) {
        runCommands();
        if (closing && queue.isEmpty()) {
          break;
        }
        long wait = Math.min(nextProbe, nextMaintenance) - System.nanoTime();
        Object item = closing ? queue.poll() : queue.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
        if (item instanceof PendingEvent event) {
          commitWindow(event);
        }
        long now = System.nanoTime();
        if (now - nextProbe >= 0) {
          probe();
        }
        if (now - nextMaintenance >= 0) {
          maintain();
        }
      }
      maintain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("Audit writer stopped on an unexpected failure", e);
      healthy.set(false);
    } finally {
      onStop.run();
      chains.closeAll();
      Object left;
      while ((left = queue.poll()) != null) {
        if (left instanceof PendingEvent event) {
          event.notWritten("audit writer stopped");
        }
      }
      runCommands();
    }
  }

  /** Applies retention and writes a checkpoint if anything changed; empty when none was due. */
  Optional<Path> maintain() {
    nextMaintenance = System.nanoTime() + checkpointNanos;
    SessionRetention.sweep(layout, options.clock().instant(), options.retention());
    try {
      RetentionSweep.Plan plan = RetentionSweep.plan(chains.all(), options.clock().instant(),
          options.retention());
      if (!changedSinceCheckpoint && plan.isEmpty()) {
        return Optional.empty();
      }
      Path written = checkpoints.write(heads(), plan.retired());
      changedSinceCheckpoint = false;
      RetentionSweep.apply(plan);
      return Optional.of(written);
    } catch (IOException e) {
      failed("writing an audit checkpoint failed", e);
      return Optional.empty();
    }
  }

  private List<Checkpoint.Head> heads() {
    List<Checkpoint.Head> heads = new ArrayList<>();
    for (ChainState state : chains.all()) {
      if (state.durableSeq > 0) {
        heads.add(new Checkpoint.Head(state.chain, state.key, state.durableFile, state.durableSeq,
            state.durableHash, state.baseSeq, state.baseHash));
      }
    }
    heads.sort((a, b) -> a.key().compareTo(b.key()));
    return heads;
  }

  private void runCommands() {
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
  }

  private void commitWindow(PendingEvent first) throws InterruptedException {
    long deadline = System.nanoTime() + windowNanos;
    LocalDate today = LocalDate.ofInstant(options.clock().instant(), ZoneOffset.UTC);
    Set<ChainState> touched = new LinkedHashSet<>();
    List<Object> batch = new ArrayList<>(DRAIN_CHUNK);
    batch.add(first);
    while (true) {
      queue.drainTo(batch, DRAIN_CHUNK);
      for (Object item : batch) {
        if (item instanceof PendingEvent event) {
          place(event, today, touched);
        }
      }
      batch.clear();
      writeOut(touched);
      long remaining = deadline - System.nanoTime();
      Object next = closing || remaining <= 0 ? queue.poll()
          : queue.poll(Math.min(remaining, LINGER_NANOS), TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      batch.add(next);
      if (!closing && remaining <= 0) {
        // The window is over but the queue is not empty: commit what we have first.
        sync(touched);
        touched.clear();
        deadline = System.nanoTime() + windowNanos;
        today = LocalDate.ofInstant(options.clock().instant(), ZoneOffset.UTC);
      }
    }
    sync(touched);
  }

  private void place(PendingEvent event, LocalDate today, Set<ChainState> touched) {
    ChainState state = null;
    try {
      state = chains.get(event.chain);
      if (state.needsRecovery) {
        chains.recover(state);
      }
      chains.prepare(state, today, event.json.length + SUFFIX_BYTES, options.maxFileBytes());
      appendLine(state, event);
      touched.add(state);
    } catch (IOException | RuntimeException e) {
      String reason = "audit write failed: " + describe(e);
      event.notWritten(reason);
      if (state != null) {
        failChain(state, reason);
      }
      failed("appending to audit chain " + (state == null ? event.chain : state.key) + " failed", e);
    }
  }

  private void appendLine(ChainState state, PendingEvent event) {
    long seq = state.seq + 1;
    byte[] suffix = ChainLine.suffix(seq, state.hash);
    int start = state.pending.size();
    state.pending.write(event.json, 0, event.json.length - 1);
    state.pending.write(suffix, 0, suffix.length);
    digest.update(state.pending.array(), start, state.pending.size() - start);
    state.pending.write((byte) '\n');
    state.seq = seq;
    state.hash = hex.formatHex(digest.digest());
    state.headFile = state.current.name();
    event.seq = seq;
    state.window.add(event);
  }

  /** Hands the window's lines to the OS now, so a crash of this process does not lose them. */
  private void writeOut(Set<ChainState> touched) {
    for (ChainState state : touched) {
      if (state.pending.size() == 0) {
        continue;
      }
      try {
        state.size += state.pending.drainTo(chains.channel(state), state.size);
      } catch (IOException e) {
        String reason = "audit write failed: " + describe(e);
        failChain(state, reason);
        failed("writing audit chain " + state.key + " failed", e);
      }
    }
  }

  private void sync(Set<ChainState> touched) {
    long started = System.nanoTime();
    try {
      syncAll(touched);
    } finally {
      stats.commit(System.nanoTime() - started);
    }
  }

  private void syncAll(Set<ChainState> touched) {
    writeOut(touched);
    List<SyncJob> jobs = new ArrayList<>();
    for (ChainState state : touched) {
      if (state.window.isEmpty()) {
        continue;
      }
      try {
        List<FileChannel> channels = new ArrayList<>(state.rotated);
        channels.add(chains.channel(state));
        jobs.add(new SyncJob(state, channels, state.syncDir ? state.dir : null));
      } catch (IOException e) {
        failChain(state, "audit fsync failed: " + describe(e));
        failed("fsync of audit chain " + state.key + " failed", e);
      }
    }
    List<CompletableFuture<IOException>> results = new ArrayList<>(jobs.size());
    for (SyncJob job : jobs) {
      // fsync waits on the device, not the CPU: many files are flushed faster side by side.
      results.add(jobs.size() >= PARALLEL_FSYNC_MIN
          ? CompletableFuture.supplyAsync(job::run, fsyncPool)
          : CompletableFuture.completedFuture(job.run()));
    }
    for (int i = 0; i < jobs.size(); i++) {
      ChainState state = jobs.get(i).state();
      IOException error = results.get(i).join();
      if (error == null) {
        state.rotated.forEach(AuditWriter::closeQuietly);
        state.rotated.clear();
        state.syncDir = false;
        state.markDurable();
        changedSinceCheckpoint = true;
        state.window.forEach(PendingEvent::written);
        state.window.clear();
      } else {
        failChain(state, "audit fsync failed: " + describe(error));
        failed("fsync of audit chain " + state.key + " failed", error);
      }
    }
    chains.evictIdle();
  }

  /** The fsyncs one chain needs at the end of a window; returns the failure, or null. */
  private record SyncJob(ChainState state, List<FileChannel> channels, Path dir) {

    IOException run() {
      try {
        for (FileChannel channel : channels) {
          channel.force(false);
        }
        if (dir != null) {
          DurableFiles.syncDirectory(dir);
        }
        return null;
      } catch (IOException e) {
        return e;
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Closing a rotated audit file failed", e);
    }
  }

  private void failChain(ChainState state, String reason) {
    state.window.forEach(event -> event.notWritten(reason));
    state.window.clear();
    chains.fail(state);
  }

  private void probe() {
    try {
      WriteProbe.run(layout);
      if (!healthy.getAndSet(true)) {
        LOG.info("Audit directory {} is writable again", layout.root());
      }
    } catch (IOException | RuntimeException e) {
      if (healthy.getAndSet(false)) {
        LOG.warn("Audit directory {} is not writable: {}", layout.root(), describe(e));
      }
    }
    nextProbe = System.nanoTime() + (healthy.get() ? PROBE_WHEN_HEALTHY_NANOS : PROBE_WHEN_FAILING_NANOS);
  }

  private void failed(String what, Exception e) {
    stats.failure();
    nextProbe = System.nanoTime() + PROBE_WHEN_FAILING_NANOS;
    // The first failure says it loudly; while the directory stays broken, one line per event would flood the log.
    if (healthy.getAndSet(false)) {
      LOG.warn("{}: {}", what, describe(e));
    } else {
      LOG.debug("{}: {}", what, describe(e));
    }
  }

  private static String describe(Exception e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
