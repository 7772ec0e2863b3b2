package dev.kgate.cli.audit;

import dev.kgate.audit.AuditEvent;
import dev.kgate.audit.query.AuditFilter;
import java.time.Instant;
import java.util.Objects;

/**
 * Which events a {@code query} or {@code tail} prints: an {@link AuditFilter}, which the audit
 * module applies while reading, and an end time it has no field for.
 *
 * @param filter user, cluster, verb, resource, since and denied-only
 * @param until  only events stamped before this, or null
 */
record EventSelection(AuditFilter filter, Instant until) {

  EventSelection {
    Objects.requireNonNull(filter, "filter");
  }

  boolean test(AuditEvent event) {
    return filter.test(event) && (until == null || event.stageTimestamp().isBefore(until));
  }
}
