package dev.kgate.gateway.http;

import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.gateway.status.Failure;
import java.util.Objects;

/**
 * A request that a pipeline stage refused; {@link RejectionHandler} answers it. The later the
 * stage, the more is known about who asked for what, and the audit record keeps all of it.
 *
 * @param identity   who asked, or null when refused before (or by) authentication
 * @param cluster    the cluster asked for, or null when refused before cluster selection
 * @param attributes what the request would have done, or null when not yet derived
 */
public record Rejected(
    InboundRequest request, Failure failure, Identity identity, String cluster, RequestAttributes attributes) {

  public Rejected {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(failure, "failure");
  }

  /** Refused before anyone was identified. */
  public Rejected(InboundRequest request, Failure failure) {
    this(request, failure, null, null, null);
  }
}
