package dev.kgate.audit.webhook;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.AuditEventJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes offered events from memory and writes them to the spool as EventList batches: a batch is
 * closed when it holds {@code batchMaxEvents}, when one more event would take it past {@code
 * batchMaxBytes}, or {@code batchMaxDelay} after its first event. When the spool is full or
 * cannot be written, the batch waits in memory (the sink reports not healthy meanwhile) and
 * later events wait in the queue behind it; nothing is dropped until the queue is full.
 */
final class Batcher implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);
  private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long FULL_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long WRITE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final BlockingQueue<AuditEvent> queue;
  private final Spool spool;
  private final int maxEvents;
  private final long maxBytes;
  private final long maxDelayNanos;
  private final AtomicLong dropped;
  private volatile boolean failing;
  private volatile boolean stopping;
  private volatile long stopDeadline;

  Batcher(BlockingQueue<AuditEvent> queue, Spool spool, WebhookOptions options, AtomicLong dropped) {
    this.queue = queue;
    this.dropped = dropped;
    this.spool = spool;
    this.maxEvents = options.batchMaxEvents();
    this.maxBytes = options.batchMaxBytes();
    this.maxDelayNanos = options.batchMaxDelay().toNanos();
  }

  /** Whether the last spool write failed, or a batch waits for room. */
  boolean failing() {
    return failing;
  }

  /** Spools what is queued, then returns; gives up on a full spool at {@code deadlineNanos}. */
  void stop(long deadlineNanos) {
    stopDeadline = deadlineNanos;
    stopping = true;
    spool.wakeAll();
  }

  @Override
  public void run() {
    List<byte[]> items = new ArrayList<>();
    long itemBytes = 0;
    long due = 0;
    try {
      while (true) {
        AuditEvent event;
        if (items.isEmpty()) {
          if (stopping && queue.isEmpty()) {
            return;
          }
          event = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
        } else {
          long wait = stopping ? 0 : due - System.nanoTime();
          event = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
        }
        if (event == null) {
          if (!items.isEmpty() && (stopping || System.nanoTime() - due >= 0)) {
            spool(items);
            items.clear();
            itemBytes = 0;
          }
          continue;
        }
        byte[] item = serialize(event);
        if (item == null) {
          continue;
        }
        if (!items.isEmpty() && EventListBody.size(itemBytes + item.length, items.size() + 1) > maxBytes) {
          spool(items);
          items.clear();
          itemBytes = 0;
        }
        if (items.isEmpty()) {
          due = System.nanoTime() + maxDelayNanos;
        }
        items.add(item);
        itemBytes += item.length;
        if (items.size() >= maxEvents) {
          spool(items);
          items.clear();
          itemBytes = 0;
        }
      }
    } catch (InterruptedException e) {
      int lost = items.size() + queue.size();
      if (lost > 0) {
        LOG.error("Audit webhook: {} events not spooled at shutdown (spool {} full or failing);"
            + " the file log still has them", lost, spool.dir());
      }
    }
  }

  /** The event's JSON; null, counted and logged, in the unlikely case it cannot be written. */
  private byte[] serialize(AuditEvent event) {
    try {
      return AuditEventJson.write(event);
    } catch (RuntimeException e) {
      long count = dropped.incrementAndGet();
      LOG.error("Audit webhook: event {} could not be serialized and is dropped ({} dropped since"
          + " start; the file log has it)", event.auditId(), count, e);
      return null;
    }
  }

  /** Writes one batch, waiting while the spool is full or failing; interrupted past the stop deadline. */
  private void spool(List<byte[]> items) throws InterruptedException {
    byte[] body = EventListBody.encode(items);
    while (true) {
      try {
        if (spool.write(body)) {
          if (failing) {
            LOG.info("Audit webhook spool {} takes batches again", spool.dir());
            failing = false;
          }
          return;
        }
        failing = true;
        spool.recountRejected();
        giveUpIfPastDeadline();
        spool.awaitRoom(FULL_RECHECK_NANOS);
      } catch (IOException e) {
        if (!failing) {
          LOG.error("Audit webhook spool {} cannot be written ({}): the sink reports not writable"
              + " and retries every second", spool.dir(), e.toString());
        }
        failing = true;
        giveUpIfPastDeadline();
        TimeUnit.NANOSECONDS.sleep(WRITE_RETRY_NANOS);
      }
    }
  }

  private void giveUpIfPastDeadline() throws InterruptedException {
    if (stopping && System.nanoTime() - stopDeadline >= 0) {
      throw new InterruptedException("stop deadline passed");
    }
  }
}
