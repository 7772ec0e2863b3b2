package dev.kgate.cli.audit;

import java.time.Clock;
import java.time.Instant;

/**
 * The span of time a command looks at, from {@code --since} and {@code --until}: from {@code since}
 * (inclusive) to {@code until} (exclusive). Either end may be open (null).
 */
record TimeWindow(Instant since, Instant until) {

  /** Reads the two options (either may be null); a bad time or an empty window is a {@link UsageException}. */
  static TimeWindow parse(String since, String until, Clock clock) {
    Instant from = since == null ? null : TimeArgument.parse("--since", since, clock);
    Instant to = until == null ? null : TimeArgument.parse("--until", until, clock);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new UsageException("--since " + since + " is not before --until " + until);
    }
    return new TimeWindow(from, to);
  }

  boolean contains(Instant time) {
    return (since == null || !time.isBefore(since)) && (until == null || time.isBefore(until));
  }

  /** Whether {@code time} is before the window ends (always, when the end is open). */
  boolean endsAfter(Instant time) {
    return until == null || time.isBefore(until);
  }
}
