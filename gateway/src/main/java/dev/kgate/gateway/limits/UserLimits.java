package dev.kgate.gateway.limits;

import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.forward.ForwardingHandler;
import dev.kgate.gateway.http.Rejected;
import dev.kgate.gateway.route.ClusterRequest;
import dev.kgate.gateway.status.Failure;
import io.netty.channel.Channel;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Fair use per person: a token bucket for the request rate, a count of requests in flight and a
 * count of open long-running streams, all keyed by the authenticated user name. {@link #admit}
 * takes a request's share or names the limit it exceeds; the share is given back when the exchange
 * completes or a later stage refuses the request (both arrive here, keyed by audit id). Thread-safe:
 * requests of one person arrive on many event loops.
 */
public final class UserLimits implements ForwardingHandler.ExchangeListener, Consumer<Rejected> {

  private final GatewayConfig.PerUser limits;
  private final LongSupplier nanoTime;
  private final Map<String, Person> people = new ConcurrentHashMap<>();
  private final Map<String, Ticket> admitted = new ConcurrentHashMap<>();

  private record Ticket(Person person, boolean stream) {}

  public UserLimits(GatewayConfig.PerUser limits, LongSupplier nanoTime) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  /** Takes the request's share, or returns the limit it exceeds (nothing is taken then). */
  public Failure.TooManyRequests admit(ClusterRequest request) {
    String user = request.request().identity().username();
    Person person = people.computeIfAbsent(user, u -> new Person(limits.burst()));
    boolean stream = request.longRunning();
    Failure.TooManyRequests refused;
    synchronized (person) {
      refused = person.take(limits, stream, nanoTime.getAsLong());
    }
    if (refused == null) {
      admitted.put(request.request().request().auditId(), new Ticket(person, stream));
    }
    return refused;
  }

  private void release(String auditId) {
    Ticket ticket = admitted.remove(auditId);
    if (ticket != null) {
      synchronized (ticket.person()) {
        ticket.person().give(ticket.stream());
      }
    }
  }

  @Override
  public void started(ClusterRequest request, Channel client) {}

  @Override
  public void completed(ClusterRequest request, int status, long requestBytes, long responseBytes, Failure failure) {
    release(request.request().request().auditId());
  }

  @Override
  public void accept(Rejected rejected) {
    release(rejected.request().auditId());
  }

  /** One person's bucket and counters; guarded by its own monitor. */
  private static final class Person {
    private double tokens;
    private long refilledAt;
    private boolean started;
    private int inFlight;
    private int streams;

    Person(int burst) {
      this.tokens = burst;
    }

    Failure.TooManyRequests take(GatewayConfig.PerUser limits, boolean stream, long now) {
      if (started) {
        double elapsedSeconds = (now - refilledAt) / 1e9;
        tokens = Math.min(limits.burst(), tokens + elapsedSeconds * limits.requestsPerSecond());
      }
      started = true;
      refilledAt = now;
      if (tokens < 1) {
        long wait = (long) Math.ceil((1 - tokens) / limits.requestsPerSecond());
        return new Failure.TooManyRequests(
            "you are sending requests faster than kgate allows (" + (long) limits.requestsPerSecond()
                + " per second); kubectl retries after the delay by itself",
            "rate limit", Math.max(1, wait));
      }
      if (inFlight >= limits.concurrent()) {
        return new Failure.TooManyRequests(
            "you have " + inFlight + " requests in flight, the most kgate allows at once; retry when some finish",
            "concurrent request limit", 1);
      }
      if (stream && streams >= limits.streams()) {
        return new Failure.TooManyRequests(
            "you have " + streams + " watches, log follows, exec or port-forward sessions open, the most kgate"
                + " allows at once; end one and retry", "stream limit", 1);
      }
      tokens -= 1;
      inFlight++;
      if (stream) {
        streams++;
      }
      return null;
    }

    void give(boolean stream) {
      inFlight--;
      if (stream) {
        streams--;
      }
    }
  }
}
