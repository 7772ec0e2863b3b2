package dev.kgate.sim.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The requests a simulated cluster received, in order, for tests to inspect and wait on. Bounded
 * so a long benchmark run does not grow it without limit; the oldest entries go first.
 */
final class RequestLog {

  static final int CAPACITY = 10_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition added = lock.newCondition();
  private final List<RecordedRequest> requests = new ArrayList<>();

  void add(RecordedRequest request) {
    lock.lock();
    try {
      if (requests.size() >= CAPACITY) {
        requests.subList(0, CAPACITY / 10).clear();
      }
      requests.add(request);
      added.signalAll();
    } finally {
      lock.unlock();
    }
  }

  List<RecordedRequest> snapshot() {
    lock.lock();
    try {
      return List.copyOf(requests);
    } finally {
      lock.unlock();
    }
  }

  void clear() {
    lock.lock();
    try {
      requests.clear();
    } finally {
      lock.unlock();
    }
  }

  /** The first request matching {@code predicate}, waiting up to {@code timeout} for it. */
  Optional<RecordedRequest> await(Predicate<RecordedRequest> predicate, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (RecordedRequest r : requests) {
          if (predicate.test(r)) {
            return Optional.of(r);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        added.await(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      lock.unlock();
    }
  }
}
