package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.query.AuditFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * What {@code kgate audit report} shows: every user with a request in the period, and what each
 * did ({@link UserActivity}), in username order. The whole log is read (one user's part with
 * {@code --user}), not only the period, because whether access to a cluster is new depends on what
 * came before; only the first request per user and cluster is kept from outside the period.
 *
 * @param period the requests counted are those that started in it
 */
record ActivityReport(TimeWindow period, List<UserActivity> users) {

  ActivityReport {
    Objects.requireNonNull(period, "period");
    users = List.copyOf(users);
  }

  /** The report for {@code user} (every user when null) over {@code period}, from the log in {@code dir}. */
  static ActivityReport read(Path dir, String user, TimeWindow period) throws IOException {
    Collector collector = new Collector(period);
    RequestPairing.read(dir, AuditFilter.any().withUser(user), collector);
    return collector.report();
  }

  /** The report over events already read, given in chain order. */
  static ActivityReport of(List<AuditEvent> events, TimeWindow period) {
    Collector collector = new Collector(period);
    RequestPairing pairing = new RequestPairing(collector);
    events.forEach(pairing);
    pairing.finish();
    return collector.report();
  }

  long requests() {
    return sum(UserActivity::total);
  }

  long denials() {
    return sum(activity -> activity.denials().size());
  }

  long sessions() {
    return sum(activity -> activity.sessions().size());
  }

  long allowedSecretReads() {
    return sum(UserActivity::allowedSecretReads);
  }

  long newClusterAccesses() {
    return sum(UserActivity::newClusters);
  }

  private long sum(ToLongFunction<UserActivity> figure) {
    return users.stream().mapToLong(figure).sum();
  }

  /** Counts requests in the period per user, and remembers each user's first request to each cluster. */
  private static final class Collector implements Consumer<AuditedRequest> {

    private final TimeWindow period;
    private final Map<String, UserActivity> users = new TreeMap<>();
    private final Map<String, Map<String, AuditedRequest>> firstAccess = new HashMap<>();

    Collector(TimeWindow period) {
      this.period = period;
    }

    @Override
    public void accept(AuditedRequest request) {
      if (request.cluster() != null && period.endsAfter(request.start())) {
        firstAccess.computeIfAbsent(request.user(), user -> new HashMap<>())
            .merge(request.cluster(), request,
                (known, other) -> UserActivity.OLDEST_FIRST.compare(known, other) <= 0 ? known : other);
      }
      if (period.contains(request.start())) {
        users.computeIfAbsent(request.user(), UserActivity::new).add(request);
      }
    }

    ActivityReport report() {
      users.forEach((user, activity) -> activity.finish(firstAccess.getOrDefault(user, Map.of()), period));
      return new ActivityReport(period, List.copyOf(users.values()));
    }
  }
}
