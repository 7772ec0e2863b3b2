package dev.kgate.audit.webhook;

import dev.kgate.audit.store.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batches the receiver has not taken yet, one file each: {@code batch-<seq>.json} holds the
 * exact body to POST, so an operator can replay one with curl. A batch is written to a temporary
 * file, fsynced and renamed (then the directory fsynced) before its first send, deleted after a
 * 2xx, and moved to {@code rejected/} when the receiver refuses it for good. The sequence number
 * orders batches across restarts. Spooled and rejected bytes together stay under a bound; the
 * spool says loudly when it has no room left for a whole batch, because that is when a
 * fail-closed gateway starts refusing requests.
 *
 * <p>One thread writes (the batcher), one reads and removes (the sender).
 */
final class Spool {

  static final String REJECTED = "rejected";
  private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
  private static final Pattern NAME = Pattern.compile("batch-(\\d{1,19})\\.json");
  private static final String TEMPORARY = ".tmp";

  /** One spooled batch file and its size. */
  record Batch(Path file, long seq, long size) {}

  private final Path dir;
  private final Path rejectedDir;
  private final long maxBytes;
  private final long headroom;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final Condition freed = lock.newCondition();
  private final ArrayDeque<Batch> pending = new ArrayDeque<>();
  private long pendingBytes;
  private long rejectedBytes;
  private long nextSeq;
  private boolean fullReported;

  private Spool(Path dir, long maxBytes, long headroom) {
    this.dir = dir;
    this.rejectedDir = dir.resolve(REJECTED);
    this.maxBytes = maxBytes;
    this.headroom = headroom;
  }

  /**
   * Opens the spool in {@code dir}, creating it, removing half-written files and listing the
   * waiting batches oldest first. {@code headroom} is the room below which the spool counts as
   * full (one whole batch).
   */
  static Spool open(Path dir, long maxBytes, long headroom) throws IOException {
    Spool spool = new Spool(dir, maxBytes, headroom);
    Files.createDirectories(spool.rejectedDir);
    List<Batch> found = spool.list(dir, true);
    found.sort(Comparator.comparingLong(Batch::seq));
    List<Batch> rejected = spool.list(spool.rejectedDir, false);
    long maxSeq = 0;
    for (Batch batch : found) {
      spool.pending.add(batch);
      spool.pendingBytes += batch.size();
      maxSeq = Math.max(maxSeq, batch.seq());
    }
    for (Batch batch : rejected) {
      spool.rejectedBytes += batch.size();
      maxSeq = Math.max(maxSeq, batch.seq());
    }
    spool.nextSeq = maxSeq + 1;
    return spool;
  }

  /**
   * Writes one batch durably and queues it for sending; false, writing nothing, when it does not
   * fit (a batch always fits an empty spool, so an oversized one cannot block it forever).
   */
  boolean write(byte[] body) throws IOException {
    long seq;
    lock.lock();
    try {
      if (used() + body.length > maxBytes && used() > 0) {
        reportFull();
        return false;
      }
      seq = nextSeq++;
    } finally {
      lock.unlock();
    }
    Path file = dir.resolve(String.format(Locale.ROOT, "batch-%019d.json", seq));
    Path temporary = dir.resolve(file.getFileName() + TEMPORARY);
    try {
      DurableFiles.writeSynced(temporary, body);
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
      DurableFiles.syncDirectory(dir);
    } catch (IOException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    lock.lock();
    try {
      pending.add(new Batch(file, seq, body.length));
      pendingBytes += body.length;
      if (!hasHeadroom()) {
        reportFull();
      }
      added.signalAll();
    } finally {
      lock.unlock();
    }
    return true;
  }

  /** The oldest waiting batch, waiting up to {@code timeoutNanos} for one; null if none came. */
  Batch awaitOldest(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      long left = timeoutNanos;
      while (pending.isEmpty() && left > 0) {
        left = added.awaitNanos(left);
      }
      return pending.peekFirst();
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code timeoutNanos} for a batch to leave the spool. */
  void awaitRoom(long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      freed.awaitNanos(timeoutNanos);
    } finally {
      lock.unlock();
    }
  }

  /** Wakes whoever waits for a batch or for room, so they look at their stop flag. */
  void wakeAll() {
    lock.lock();
    try {
      added.signalAll();
      freed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  byte[] read(Batch batch) throws IOException {
    return Files.readAllBytes(batch.file());
  }

  /** Forgets a batch the receiver took and deletes its file (a deletion lost to a crash means a resend). */
  void delivered(Batch batch) throws IOException {
    forget(batch, false);
    Files.deleteIfExists(batch.file());
  }

  /** Moves a batch the receiver refused for good to {@code rejected/}, where it still counts. */
  Path reject(Batch batch) throws IOException {
    Path target = rejectedDir.resolve(batch.file().getFileName());
    forget(batch, true);
    Files.move(batch.file(), target, StandardCopyOption.ATOMIC_MOVE);
    return target;
  }

  /** Counts {@code rejected/} again, so files an operator removed free their room. */
  void recountRejected() throws IOException {
    long bytes = 0;
    for (Batch batch : list(rejectedDir, false)) {
      bytes += batch.size();
    }
    lock.lock();
    try {
      rejectedBytes = bytes;
      roomFreed();
    } finally {
      lock.unlock();
    }
  }

  /** Whether one more whole batch fits. */
  boolean hasHeadroom() {
    lock.lock();
    try {
      return used() + headroom <= maxBytes;
    } finally {
      lock.unlock();
    }
  }

  int pendingBatches() {
    lock.lock();
    try {
      return pending.size();
    } finally {
      lock.unlock();
    }
  }

  /** Spooled and rejected bytes. */
  long bytes() {
    lock.lock();
    try {
      return used();
    } finally {
      lock.unlock();
    }
  }

  Path dir() {
    return dir;
  }

  private void forget(Batch batch, boolean rejected) {
    lock.lock();
    try {
      if (pending.remove(batch)) {
        pendingBytes -= batch.size();
        if (rejected) {
          rejectedBytes += batch.size();
        }
      }
      roomFreed();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock, after bytes left: wakes the batcher and ends a full episode. */
  private void roomFreed() {
    if (fullReported && hasHeadroom()) {
      fullReported = false;
      LOG.info("Audit webhook spool {} has room again ({} of {} bytes used)", dir, used(), maxBytes);
    }
    freed.signalAll();
  }

  private void reportFull() {
    if (!fullReported) {
      fullReported = true;
      LOG.error("Audit webhook spool {} is full ({} of {} bytes, {} in {}/): the sink reports not"
          + " writable, so a fail-closed gateway refuses requests until the receiver takes the"
          + " backlog or rejected batches are removed", dir, used(), maxBytes, rejectedBytes, REJECTED);
    }
  }

  private long used() {
    return pendingBytes + rejectedBytes;
  }

  private List<Batch> list(Path in, boolean removeTemporary) throws IOException {
    List<Batch> batches = new ArrayList<>();
    try (Stream<Path> files = Files.list(in)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        Matcher matcher = NAME.matcher(name);
        if (removeTemporary && name.endsWith(TEMPORARY)) {
          // A batch half written when the process died: its events were still in memory, never spooled.
          Files.deleteIfExists(file);
        } else if (matcher.matches() && Files.isRegularFile(file)) {
          try {
            batches.add(new Batch(file, Long.parseLong(matcher.group(1)), Files.size(file)));
          } catch (NoSuchFileException e) {
            // removed while we listed
          } catch (NumberFormatException e) {
            LOG.warn("Ignoring spool file {} with an out-of-range sequence number", file);
          }
        }
      }
    }
    return batches;
  }
}
