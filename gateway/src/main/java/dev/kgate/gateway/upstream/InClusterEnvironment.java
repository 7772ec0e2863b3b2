package dev.kgate.gateway.upstream;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a pod knows about its own cluster: the {@code KUBERNETES_SERVICE_HOST}/{@code _PORT}
 * environment variables and the mounted ServiceAccount directory ({@code token}, {@code ca.crt}).
 * A value rather than direct {@code System.getenv} calls so tests can point it at a temporary
 * directory.
 *
 * @param environment       environment variables (only the two above are read)
 * @param serviceAccountDir directory holding {@code token} and {@code ca.crt}
 */
public record InClusterEnvironment(Map<String, String> environment, Path serviceAccountDir) {

  public static final Path DEFAULT_SERVICE_ACCOUNT_DIR =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
  static final String SERVICE_HOST = "KUBERNETES_SERVICE_HOST";
  static final String SERVICE_PORT = "KUBERNETES_SERVICE_PORT";

  public InClusterEnvironment {
    environment = Map.copyOf(environment);
    Objects.requireNonNull(serviceAccountDir, "serviceAccountDir");
  }

  /** This process's environment and the standard ServiceAccount mount. */
  public static InClusterEnvironment system() {
    Map<String, String> env = System.getenv();
    Map<String, String> relevant = new HashMap<>();
    for (String name : new String[] {SERVICE_HOST, SERVICE_PORT}) {
      if (env.get(name) != null) {
        relevant.put(name, env.get(name));
      }
    }
    return new InClusterEnvironment(relevant, DEFAULT_SERVICE_ACCOUNT_DIR);
  }

  Path tokenFile() {
    return serviceAccountDir.resolve("token");
  }

  Path caFile() {
    return serviceAccountDir.resolve("ca.crt");
  }
}
