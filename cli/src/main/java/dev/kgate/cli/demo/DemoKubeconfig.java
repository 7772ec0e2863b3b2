package dev.kgate.cli.demo;

import dev.kgate.cli.login.LoginPlugin;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The kubeconfig the demo hands to kubectl: one cluster and context per simulated cluster, each
 * pointing at the gateway's {@code /clusters/<name>} route and trusting the demo CA through
 * {@code certificate-authority-data} (never {@code insecure-skip-tls-verify}), and one user whose
 * credential is the {@code kgate credential} exec plugin, as {@code kgate kubeconfig} writes it for
 * a real gateway. No token is in the file: the plugin reads the one {@code kgate login} cached.
 */
record DemoKubeconfig(URI gateway, List<String> clusterNames, String caCertificatePem, String userName,
    LoginPlugin.Command plugin, List<String> pluginOptions) {

  DemoKubeconfig {
    Objects.requireNonNull(gateway, "gateway");
    clusterNames = List.copyOf(clusterNames);
    Objects.requireNonNull(caCertificatePem, "caCertificatePem");
    Objects.requireNonNull(userName, "userName");
    Objects.requireNonNull(plugin, "plugin");
    pluginOptions = List.copyOf(pluginOptions);
    if (clusterNames.isEmpty()) {
      throw new IllegalArgumentException("a kubeconfig needs at least one cluster");
    }
  }

  /** The server URL kubectl uses for one cluster. */
  String serverFor(String clusterName) {
    return gateway.toString().replaceAll("/+$", "") + "/clusters/" + clusterName;
  }

  /** The YAML text; the first cluster is the current context. */
  String toYaml(YAMLMapper yaml) {
    String caData = Base64.getEncoder().encodeToString(caCertificatePem.getBytes(StandardCharsets.US_ASCII));
    List<Object> clusters = new ArrayList<>();
    List<Object> contexts = new ArrayList<>();
    for (String name : clusterNames) {
      clusters.add(ordered(
          "name", name,
          "cluster", ordered("server", serverFor(name), "certificate-authority-data", caData)));
      contexts.add(ordered(
          "name", name,
          "context", ordered("cluster", name, "user", userName)));
    }
    List<String> args = new ArrayList<>(plugin.leadingArguments());
    args.addAll(pluginOptions);
    Map<String, Object> exec = new LinkedHashMap<>();
    exec.put("apiVersion", "client.authentication.k8s.io/v1");
    exec.put("command", plugin.executable());
    exec.put("args", args);
    exec.put("interactiveMode", "IfAvailable");
    exec.put("provideClusterInfo", false);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("apiVersion", "v1");
    document.put("kind", "Config");
    document.put("clusters", clusters);
    document.put("contexts", contexts);
    document.put("current-context", clusterNames.get(0));
    document.put("users", List.of(ordered("name", userName, "user", Map.of("exec", exec))));
    document.put("preferences", Map.of());
    return yaml.writeValueAsString(document);
  }

  private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(k1, v1);
    map.put(k2, v2);
    return map;
  }
}
