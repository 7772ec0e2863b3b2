package dev.kgate.auth.attributes;

import java.util.Objects;

/**
 * A request the gateway will not authorize because its path or query is malformed or ambiguous
 * (an encoded {@code /}, a dot segment, {@code //}, a {@code ;} parameter…). A proxy that
 * normalises such a path differently from the API server authorizes one request and forwards
 * another; refusing is the only answer that cannot be wrong. The gateway answers 400.
 *
 * @param reason what is wrong, safe to show the client (it echoes nothing but the offending part)
 */
public record Refused(String reason) implements Resolution {

  public Refused {
    Objects.requireNonNull(reason, "reason");
  }
}
