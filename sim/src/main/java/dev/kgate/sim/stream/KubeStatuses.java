package dev.kgate.sim.stream;

import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code metav1.Status} documents of the streaming endpoints. The exec result travels on the
 * error stream (channel 3) exactly as the kubelet marshals it, without {@code kind} and {@code
 * apiVersion}; HTTP error answers are full Status objects, the only form kubectl prints.
 */
final class KubeStatuses {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private KubeStatuses() {}

  /** The status of an exec whose command exited with {@code exitCode}. */
  static String exitStatus(int exitCode, List<String> command) {
    ObjectNode status = JSON.createObjectNode();
    status.putObject("metadata");
    if (exitCode == 0) {
      status.put("status", "Success");
      return JSON.writeValueAsString(status);
    }
    status.put("status", "Failure");
    status.put("message", "command terminated with non-zero exit code: error executing command "
        + command + ", exit code " + exitCode);
    status.put("reason", "NonZeroExitCode");
    ObjectNode cause = status.putObject("details").putArray("causes").addObject();
    cause.put("reason", "ExitCode");
    cause.put("message", Integer.toString(exitCode));
    return JSON.writeValueAsString(status);
  }

  /** A full failure Status for an HTTP answer. */
  static String failure(int code, String reason, String message) {
    ObjectNode status = JSON.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", message);
    status.put("reason", reason);
    status.put("code", code);
    return JSON.writeValueAsString(status);
  }

  static JsonMapper json() {
    return JSON;
  }
}
