package dev.kgate.audit.file;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Cumulative counters of the audit writer, for metrics: how many group commits (each one fsync
 * round over the files a window touched) ran, how long they took in total, and how many writes or
 * fsyncs failed. Written by the writer thread only, read from any thread.
 */
public final class WriterStats {

  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong commitNanos = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  void commit(long nanos) {
    commits.incrementAndGet();
    commitNanos.addAndGet(nanos);
  }

  void failure() {
    failures.incrementAndGet();
  }

  /** Group commits (write + fsync rounds) completed. */
  public long commits() {
    return commits.get();
  }

  /** Total time spent in group commits, in nanoseconds. */
  public long commitNanos() {
    return commitNanos.get();
  }

  /** Writes, fsyncs and checkpoints that failed. */
  public long failures() {
    return failures.get();
  }
}
