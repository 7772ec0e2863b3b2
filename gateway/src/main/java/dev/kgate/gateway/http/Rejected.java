package dev.kgate.gateway.http;

import dev.kgate.gateway.status.Failure;
import java.util.Objects;

/** A request that a pipeline stage refused; {@link RejectionHandler} answers it. */
public record Rejected(InboundRequest request, Failure failure) {
  public Rejected {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(failure, "failure");
  }
}
