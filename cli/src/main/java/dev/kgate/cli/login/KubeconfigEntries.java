package dev.kgate.cli.login;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The kubeconfig entries for one gateway: a cluster and a context per cluster this person may use
 * (named {@code <prefix><cluster>}, the server being {@code <gateway>/clusters/<cluster>}), and one
 * user, {@code kgate@<gateway host>}, whose credential is the {@code kgate credential} exec plugin
 * with every option it needs to answer from the cache without the network.
 */
record KubeconfigEntries(List<ObjectNode> clusters, List<ObjectNode> contexts, ObjectNode user) {

  static final String EXEC_API_VERSION = "client.authentication.k8s.io/v1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  KubeconfigEntries {
    clusters = List.copyOf(clusters);
    contexts = List.copyOf(contexts);
    Objects.requireNonNull(user, "user");
  }

  /**
   * @param command the plugin's executable as kubectl should run it
   * @param caPem the gateway's CA certificate(s), or null to trust the system's
   */
  static KubeconfigEntries of(LoginTarget target, GatewayClusters granted, String prefix, String command, String caPem) {
    String gateway = GatewayAddress.text(target.gateway());
    String userName = userName(target.gateway());
    List<ObjectNode> clusters = new ArrayList<>();
    List<ObjectNode> contexts = new ArrayList<>();
    for (GatewayClusters.Cluster cluster : granted.clusters()) {
      String name = prefix + cluster.name();
      ObjectNode server = NODES.objectNode().put("server", gateway + cluster.path());
      if (caPem != null) {
        server.put("certificate-authority-data", Base64.getEncoder().encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      }
      ObjectNode clusterEntry = NODES.objectNode().put("name", name);
      clusterEntry.set("cluster", server);
      clusters.add(clusterEntry);
      ObjectNode contextEntry = NODES.objectNode().put("name", name);
      contextEntry.set("context", NODES.objectNode().put("cluster", name).put("user", userName));
      contexts.add(contextEntry);
    }
    ObjectNode exec = NODES.objectNode()
        .put("apiVersion", EXEC_API_VERSION)
        .put("command", command);
    ArrayNode args = exec.putArray("args");
    pluginArguments(target).forEach(args::add);
    exec.put("interactiveMode", "IfAvailable");
    exec.put("provideClusterInfo", false);
    exec.put("installHint", "kgate is the kubectl login plugin of the kgate gateway " + gateway
        + "; install it and put it on your PATH, or run: kgate kubeconfig --gateway " + gateway);
    ObjectNode user = NODES.objectNode().put("name", userName);
    user.set("user", NODES.objectNode().set("exec", exec));
    return new KubeconfigEntries(clusters, contexts, user);
  }

  /** {@code kgate@<host>[:port]}: one user entry per gateway, shared by its contexts. */
  static String userName(URI gateway) {
    return "kgate@" + gateway.getRawAuthority();
  }

  /** Everything {@code kgate credential} needs to find its cache entry without the network. */
  static List<String> pluginArguments(LoginTarget target) {
    List<String> args = new ArrayList<>(List.of("credential"));
    args.addAll(LoginPlugin.options(target));
    return args;
  }

  /** The names of the contexts, in order. */
  List<String> contextNames() {
    return contexts.stream().map(c -> c.path("name").asString()).toList();
  }

  /** A whole kubeconfig holding only these entries, the first context current. */
  ObjectNode document() {
    ObjectNode document = NODES.objectNode().put("apiVersion", "v1").put("kind", "Config");
    document.set("preferences", NODES.objectNode());
    document.set("clusters", NODES.arrayNode().addAll(clusters));
    document.set("contexts", NODES.arrayNode().addAll(contexts));
    document.set("users", NODES.arrayNode().add(user));
    if (!contexts.isEmpty()) {
      document.put("current-context", contexts.get(0).path("name").asString());
    }
    return document;
  }

  static JsonNode emptyIfMissing(JsonNode node) {
    return node == null || node.isMissingNode() || node.isNull() ? NODES.arrayNode() : node;
  }
}
