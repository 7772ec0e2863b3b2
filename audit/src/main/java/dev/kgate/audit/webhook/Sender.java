package dev.kgate.audit.webhook;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends spooled batches oldest first, one at a time, so the receiver sees events in the order
 * they were offered (a retried batch holds back the ones behind it). A failed attempt is retried
 * after a backoff, or after what {@code Retry-After} asked if that is longer; a batch the
 * receiver refuses for good moves to {@code rejected/} and the next one goes. An outage is logged
 * once when it starts and once when it ends, not per attempt.
 */
final class Sender implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Sender.class);
  private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Spool spool;
  private final WebhookClient client;
  private final Backoff backoff;
  private final String target;
  private final CountDownLatch stopSignal = new CountDownLatch(1);
  private final AtomicLong deliveredBatches = new AtomicLong();
  private final AtomicLong rejectedBatches = new AtomicLong();
  private final AtomicLong failedAttempts = new AtomicLong();
  private volatile long stopDeadline;
  private long failuresInARow;

  Sender(Spool spool, WebhookClient client, Backoff backoff, String target) {
    this.spool = spool;
    this.client = client;
    this.backoff = backoff;
    this.target = target;
  }

  /**
   * Keeps sending until the spool is empty or {@code deadlineNanos} passes, and stops at the
   * first failure: a receiver that is down now will not come back before shutdown.
   */
  void stop(long deadlineNanos) {
    stopDeadline = deadlineNanos;
    stopSignal.countDown();
    spool.wakeAll();
  }

  long deliveredBatches() {
    return deliveredBatches.get();
  }

  long rejectedBatches() {
    return rejectedBatches.get();
  }

  long failedAttempts() {
    return failedAttempts.get();
  }

  @Override
  public void run() {
    try {
      while (true) {
        boolean stopping = stopSignal.getCount() == 0;
        if (stopping && System.nanoTime() - stopDeadline >= 0) {
          return;
        }
        Spool.Batch batch = spool.awaitOldest(stopping ? 0 : IDLE_WAIT_NANOS);
        if (batch == null) {
          if (stopping) {
            return;
          }
          recountIfFull();
          continue;
        }
        Duration retryIn = send(batch);
        if (retryIn != null && (stopping || stopSignal.await(retryIn.toNanos(), TimeUnit.NANOSECONDS))) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One attempt at the oldest batch: null when it left the spool, else how long to wait before the next. */
  private Duration send(Spool.Batch batch) throws InterruptedException {
    byte[] body;
    try {
      body = spool.read(batch);
    } catch (IOException e) {
      LOG.error("Audit webhook: cannot read spooled batch {} ({}); setting it aside", batch.file(), e.toString());
      setAside(batch);
      return null;
    }
    Delivery outcome = client.post(body);
    if (outcome instanceof Delivery.Delivered) {
      deliveredBatches.incrementAndGet();
      if (failuresInARow > 0) {
        LOG.info("Audit webhook {} takes batches again after {} failed attempts; {} batches waiting",
            target, failuresInARow, spool.pendingBatches() - 1);
      }
      failuresInARow = 0;
      backoff.reset();
      try {
        spool.delivered(batch);
      } catch (IOException e) {
        LOG.warn("Audit webhook: cannot delete delivered batch {} ({}); it will be sent again after a"
            + " restart", batch.file(), e.toString());
      }
      return null;
    }
    if (outcome instanceof Delivery.Rejected rejected) {
      rejectedBatches.incrementAndGet();
      failuresInARow = 0;
      backoff.reset();
      Path kept = setAside(batch);
      LOG.error("Audit webhook {} refused batch {} for good with {} ({}); not retried, kept as {}",
          target, batch.file().getFileName(), rejected.status(), rejected.detail(), kept);
      return null;
    }
    Delivery.Retry retry = (Delivery.Retry) outcome;
    failedAttempts.incrementAndGet();
    Duration wait = backoff.next();
    if (retry.retryAfter() != null && retry.retryAfter().compareTo(wait) > 0) {
      wait = retry.retryAfter();
    }
    if (failuresInARow++ == 0) {
      LOG.warn("Audit webhook {} unavailable ({}); {} batches stay spooled in {} and are retried",
          target, retry.reason(), spool.pendingBatches(), spool.dir());
    } else {
      LOG.debug("Audit webhook {} attempt {} failed ({}); next in {} ms", target, failuresInARow,
          retry.reason(), wait.toMillis());
    }
    return wait;
  }

  /** Idle with a full spool: only rejected batches fill it, so notice when an operator removes them. */
  private void recountIfFull() {
    if (!spool.hasHeadroom()) {
      try {
        spool.recountRejected();
      } catch (IOException e) {
        LOG.debug("Cannot recount {}/ in {}: {}", Spool.REJECTED, spool.dir(), e.toString());
      }
    }
  }

  private Path setAside(Spool.Batch batch) {
    try {
      return spool.reject(batch);
    } catch (IOException e) {
      LOG.error("Audit webhook: cannot move batch {} to {}/ ({}); it will be tried again after a"
          + " restart", batch.file(), Spool.REJECTED, e.toString());
      return batch.file();
    }
  }
}
