package dev.kgate.sim.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Fans out changes that passed through the front to the open watches, and keeps a short history
 * so a watch that starts from a resource version (as {@code kubectl get -w} does after its list)
 * also sees what changed in between, as a real API server's watch cache does.
 *
 * <p>Listeners are called while the hub's lock is held, in event order; they must only hand the
 * event to their channel's event loop.
 */
final class WatchHub {

  static final int HISTORY = 1_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Deque<WatchEvent> history = new ArrayDeque<>();
  private final List<Subscription> subscriptions = new ArrayList<>();

  void publish(WatchEvent event) {
    lock.lock();
    try {
      history.addLast(event);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
      for (Subscription s : subscriptions) {
        if (s.filter.matches(event)) {
          s.listener.accept(event);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Subscribes {@code listener} to events matching {@code filter}, first replaying remembered
   * events newer than {@code sinceResourceVersion} (none when it is negative).
   */
  Subscription subscribe(WatchFilter filter, long sinceResourceVersion, Consumer<WatchEvent> listener) {
    lock.lock();
    try {
      if (sinceResourceVersion >= 0) {
        for (WatchEvent e : history) {
          if (e.resourceVersion() > sinceResourceVersion && filter.matches(e)) {
            listener.accept(e);
          }
        }
      }
      Subscription subscription = new Subscription(filter, listener);
      subscriptions.add(subscription);
      return subscription;
    } finally {
      lock.unlock();
    }
  }

  int subscriberCount() {
    lock.lock();
    try {
      return subscriptions.size();
    } finally {
      lock.unlock();
    }
  }

  /** An open subscription; cancel it when the watch ends. */
  final class Subscription {
    private final WatchFilter filter;
    private final Consumer<WatchEvent> listener;

    private Subscription(WatchFilter filter, Consumer<WatchEvent> listener) {
      this.filter = filter;
      this.listener = listener;
    }

    void cancel() {
      lock.lock();
      try {
        subscriptions.remove(this);
      } finally {
        lock.unlock();
      }
    }
  }
}
