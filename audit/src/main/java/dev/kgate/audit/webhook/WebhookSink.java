package dev.kgate.audit.webhook;

import dev.kgate.audit.AuditEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends audit events to a central receiver (Falco's k8saudit plugin, Fluent Bit, a SIEM) as
 * {@code audit.k8s.io/v1} {@code EventList} batches POSTed to one URL, the format the API
 * server's own audit webhook uses.
 *
 * <p>Delivery is at least once: every batch is written and fsynced to the spool directory before
 * its first attempt and deleted only after a 2xx, so a receiver that is down, or a gateway that
 * restarts, delays events but does not lose them; a batch whose 2xx was lost is sent again, so
 * receivers dedupe by {@code auditID} and {@code stage}. What is lost in a crash is only what had
 * not reached the spool yet (at most {@code batchMaxDelay} of events), and the file log still has
 * it. A batch the receiver refuses for good (4xx) is kept in {@code rejected/} and logged.
 *
 * <p>The spool is bounded. When it has no room for another batch, {@link #healthy()} turns false
 * and the error is logged, so a fail-closed gateway refuses requests instead of losing their
 * events; it turns true again as the receiver takes the backlog.
 *
 * <p>Two threads: a batcher (memory to spool) and a sender (spool to receiver).
 */
public final class WebhookSink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WebhookSink.class);
  private static final Duration INITIAL_BACKOFF = Duration.ofMillis(100);
  private static final Duration BATCHER_GRACE = Duration.ofSeconds(2);

  /**
   * Counters for metrics and the admin page.
   *
   * @param offered          events accepted by {@link #offer} since start
   * @param dropped          events {@link #offer} could not accept (closed, queue full), or that
   *                         could not be serialized
   * @param deliveredBatches batches a receiver answered with 2xx
   * @param rejectedBatches  batches moved to {@code rejected/}
   * @param failedAttempts   attempts that will be retried
   * @param spooledBatches   batches waiting in the spool now
   * @param spoolBytes       bytes in the spool and {@code rejected/} now
   */
  public record Stats(long offered, long dropped, long deliveredBatches, long rejectedBatches,
      long failedAttempts, int spooledBatches, long spoolBytes) {}

  private final WebhookOptions options;
  private final BlockingQueue<AuditEvent> queue;
  private final Spool spool;
  private final Batcher batcher;
  private final Sender sender;
  private final Thread batcherThread;
  private final Thread senderThread;
  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  private WebhookSink(WebhookOptions options, Spool spool, WebhookClient client) {
    this.options = options;
    this.spool = spool;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.batcher = new Batcher(queue, spool, options, dropped);
    this.sender = new Sender(spool, client,
        new Backoff(INITIAL_BACKOFF, options.maxBackoff(), () -> ThreadLocalRandom.current().nextDouble()),
        options.target());
    this.batcherThread = daemon(batcher, "kgate-webhook-batcher");
    this.senderThread = daemon(sender, "kgate-webhook-sender");
  }

  /**
   * Opens the spool (batches left from an earlier run are sent first, in order) and starts
   * sending. Throws {@link IllegalArgumentException} when the CA bundle cannot be read and
   * {@link UncheckedIOException} when the spool directory cannot be created or listed: both are
   * set-up mistakes better refused at start.
   */
  public static WebhookSink open(WebhookOptions options) {
    Objects.requireNonNull(options, "options");
    WebhookClient client = new WebhookClient(options);
    Spool spool;
    try {
      spool = Spool.open(options.spoolDir(), options.spoolMaxBytes(), options.batchMaxBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit webhook spool " + options.spoolDir(), e);
    }
    WebhookSink sink = new WebhookSink(options, spool, client);
    sink.batcherThread.start();
    sink.senderThread.start();
    LOG.info("Audit webhook to {}: spool {} holds {} batches ({} bytes)", options.target(),
        options.spoolDir(), spool.pendingBatches(), spool.bytes());
    return sink;
  }

  /**
   * Queues one event for the receiver. Never blocks and never throws, and does no I/O or
   * serialization on the caller's thread (the file log's writer calls it): false when the event
   * could not be taken (sink closed, memory queue full), which is counted and logged at ERROR.
   */
  public boolean offer(AuditEvent event) {
    if (event == null) {
      return drop("null event");
    }
    closeLock.readLock().lock();
    try {
      if (closed) {
        return drop("sink is closed");
      }
      if (!queue.offer(event)) {
        return drop("memory queue is full (" + options.queueCapacity() + " events)");
      }
    } finally {
      closeLock.readLock().unlock();
    }
    offered.incrementAndGet();
    return true;
  }

  /**
   * False when an offered event might not reach the spool: the spool has no room for another
   * batch or cannot be written, the memory queue is full, or the sink is closed. A receiver that
   * is down does not make the sink unhealthy while the spool has room.
   */
  public boolean healthy() {
    return !closed && !batcher.failing() && spool.hasHeadroom() && queue.remainingCapacity() > 0;
  }

  public Stats stats() {
    return new Stats(offered.get(), dropped.get(), sender.deliveredBatches(),
        sender.rejectedBatches(), sender.failedAttempts(), spool.pendingBatches(), spool.bytes());
  }

  /**
   * Stops taking events, spools what is in memory, and keeps sending for up to {@code
   * closeTimeout} while the receiver answers; what is left stays spooled for the next start.
   */
  @Override
  public void close() {
    closeLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      closeLock.writeLock().unlock();
    }
    long deadline = System.nanoTime() + options.closeTimeout().toNanos();
    batcher.stop(deadline);
    // The batcher gives up by itself at the deadline if the spool is full; the grace covers a slow fsync.
    join(batcherThread, deadline + BATCHER_GRACE.toNanos());
    sender.stop(deadline);
    join(senderThread, deadline);
    if (spool.pendingBatches() > 0) {
      LOG.info("Audit webhook to {} closed; {} batches stay spooled in {} for the next start",
          options.target(), spool.pendingBatches(), options.spoolDir());
    }
  }

  private boolean drop(String reason) {
    long count = dropped.incrementAndGet();
    if (count == 1 || count % 1000 == 0) {
      LOG.error("Audit webhook to {} dropped an event: {} ({} dropped since start; the file log"
          + " has them)", options.target(), reason, count);
    }
    return false;
  }

  /** Waits for a thread until the deadline, then interrupts it and waits a little more. */
  private static void join(Thread thread, long deadlineNanos) {
    try {
      long left = deadlineNanos - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(thread, left);
      }
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(1));
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  private static Thread daemon(Runnable runnable, String name) {
    Thread thread = new Thread(runnable, name);
    thread.setDaemon(true);
    return thread;
  }
}
