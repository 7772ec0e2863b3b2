package dev.kgate.sim.cluster;

import java.util.Objects;

/**
 * An answer from the fabric8 mock (or produced in its place).
 *
 * @param status HTTP status code
 * @param body response body, possibly empty
 */
record BackendResponse(int status, byte[] body) {

  BackendResponse {
    Objects.requireNonNull(body, "body");
  }

  boolean isSuccess() {
    return status >= 200 && status < 300;
  }
}
