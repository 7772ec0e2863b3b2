package dev.kgate.sim.cluster;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * A complete answer ready to be written.
 *
 * @param status HTTP status
 * @param contentType Content-Type of the body
 * @param body the body
 */
record Reply(int status, String contentType, byte[] body) {

  Reply {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
  }

  static Reply json(int status, JsonNode body) {
    return new Reply(status, Responses.JSON, Json.bytes(body));
  }
}
