package dev.kgate.cli.audit;

import dev.kgate.audit.query.AuditFilter;
import java.time.Clock;
import picocli.CommandLine.Option;

/** The event filters {@code query} and {@code tail} share; every one given must hold. */
final class EventFilterOptions {

  @Option(names = "--user", paramLabel = "USER",
      description = "Only this user's events (system:anonymous: every unauthenticated request).")
  private String user;

  @Option(names = "--cluster", paramLabel = "CLUSTER", description = "Only requests to this cluster.")
  private String cluster;

  @Option(names = "--verb", paramLabel = "VERB", description = "Only this Kubernetes verb (get, list, create, delete).")
  private String verb;

  @Option(names = "--resource", paramLabel = "RESOURCE",
      description = "Only this resource, or resource/subresource (pods, pods/exec).")
  private String resource;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only events at or after WHEN: a span back from now (30m, 24h, 7d) or a time (2026-12-01T00:00:00Z).")
  private String since;

  @Option(names = "--until", paramLabel = "WHEN", description = "Only events before WHEN (same forms as --since).")
  private String until;

  @Option(names = "--denied", description = "Only requests the gateway refused (denied by policy, or unauthenticated).")
  private boolean denied;

  /** The selection these options make; a time that does not parse is a {@link UsageException}. */
  EventSelection selection(Clock clock) {
    TimeWindow window = TimeWindow.parse(since, until, clock);
    AuditFilter filter = AuditFilter.any().withUser(user).withCluster(cluster).withVerb(verb)
        .withResource(resource).withSince(window.since()).withDeniedOnly(denied);
    return new EventSelection(filter, window.until());
  }

  /** The --user value, or null. */
  String user() {
    return user;
  }
}
