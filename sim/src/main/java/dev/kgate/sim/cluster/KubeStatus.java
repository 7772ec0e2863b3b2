package dev.kgate.sim.cluster;

import tools.jackson.databind.node.ObjectNode;

/**
 * Kubernetes {@code Status} failure bodies. kubectl only shows a server's message when the body
 * decodes as a full Status with {@code kind}, {@code apiVersion} and {@code status: Failure}
 * (PROTOCOLS.md §9), so every error the simulated server produces goes through here.
 */
final class KubeStatus {

  private KubeStatus() {}

  static ObjectNode failure(int code, String reason, String message) {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return status;
  }

  static ObjectNode notFound(String group, String resource, String name) {
    String qualified = group.isEmpty() ? resource : resource + "." + group;
    ObjectNode status = failure(404, "NotFound", qualified + " \"" + name + "\" not found");
    ObjectNode details = status.putObject("details");
    details.put("name", name);
    if (!group.isEmpty()) {
      details.put("group", group);
    }
    details.put("kind", resource);
    return status;
  }

  static ObjectNode pathNotFound() {
    return failure(404, "NotFound", "the server could not find the requested resource");
  }

  static ObjectNode unauthorized() {
    return failure(401, "Unauthorized", "Unauthorized");
  }

  static ObjectNode badRequest(String message) {
    return failure(400, "BadRequest", message);
  }

  static ObjectNode methodNotAllowed(String message) {
    return failure(405, "MethodNotAllowed", message);
  }

  static ObjectNode internalError(String message) {
    return failure(500, "InternalError", message);
  }

  /** A Status for an error answer whose body was empty or not a Status. */
  static ObjectNode forCode(int code, ResourcePath path) {
    switch (code) {
      case 404:
        return path != null && path.name() != null
            ? notFound(path.group(), path.resource(), path.name())
            : pathNotFound();
      case 409:
        return failure(409, "Conflict", "the object has been modified or already exists");
      case 415:
        return failure(415, "UnsupportedMediaType", "the body of the request was in an unknown format");
      case 422:
        return failure(422, "Invalid", "the object is invalid");
      case 400:
        return badRequest("the server rejected our request");
      default:
        return failure(code, code >= 500 ? "InternalError" : "", "the server answered " + code);
    }
  }
}
