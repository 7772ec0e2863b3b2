package dev.kgate.gateway.authn;

import dev.kgate.auth.Identity;
import dev.kgate.gateway.http.InboundRequest;
import java.util.Objects;

/** A request whose bearer token was verified; {@code identity} is who the cluster will see. */
public record AuthenticatedRequest(InboundRequest request, Identity identity) {
  public AuthenticatedRequest {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(identity, "identity");
  }
}
