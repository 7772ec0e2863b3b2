package dev.kgate.gateway.config;

import dev.kgate.gateway.config.GatewayConfig.Credentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads {@code clusters}: the API servers behind the gateway and how it authenticates to each. */
final class ClusterSection {

  private static final List<String> CLUSTER_KEYS =
      List.of("name", "server", "ca", "tlsServerName", "credentials", "connectTimeout", "idleTimeout");
  private static final List<String> CREDENTIAL_KEYS =
      List.of("tokenFile", "clientCert", "clientKey", "kubeconfig", "context", "inCluster");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?");
  private static final String CREDENTIAL_KINDS =
      "tokenFile, clientCert + clientKey, kubeconfig (+ context) or inCluster: true";
  private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

  private ClusterSection() {}

  static List<GatewayConfig.Cluster> parse(ConfigNode clustersNode) {
    int errorsBefore = clustersNode.errorCount();
    List<ConfigNode> elements = clustersNode.list();
    if (elements.isEmpty() && clustersNode.errorCount() == errorsBefore) {
      clustersNode.error("at least one cluster is required");
    }
    List<GatewayConfig.Cluster> clusters = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (ConfigNode element : elements) {
      GatewayConfig.Cluster cluster = cluster(element, names);
      if (cluster != null) {
        clusters.add(cluster);
      }
    }
    return clusters;
  }

  /** One cluster, or null when anything in it was reported; records its name in {@code names}. */
  private static GatewayConfig.Cluster cluster(ConfigNode node, Map<String, String> names) {
    int errorsBefore = node.errorCount();
    if (!node.mapping(CLUSTER_KEYS, true)) {
      return null;
    }
    ConfigNode nameNode = node.get("name");
    String name = name(nameNode);
    if (name != null) {
      String earlier = names.putIfAbsent(name, node.path());
      if (earlier != null) {
        nameNode.error("duplicate cluster name '" + name + "', already used by " + earlier);
      }
    }
    ConfigNode credentialsNode = node.get("credentials");
    // kubeconfig and in-cluster credentials bring their own server URL and CA.
    boolean bringsOwnEndpoint =
        !credentialsNode.get("kubeconfig").isAbsent() || credentialsNode.get("inCluster").isTrue();
    Credentials credentials = credentials(credentialsNode);
    URI server = server(node.get("server"), bringsOwnEndpoint);
    ConfigNode caNode = node.get("ca");
    if (caNode.isAbsent() && !bringsOwnEndpoint) {
      caNode.error("required: the CA bundle (PEM) that signs the API server's certificate");
    }
    Path ca = caNode.file();
    PemChecks.certificates(caNode, ca);
    ConfigNode serverNameNode = node.get("tlsServerName");
    String tlsServerName = serverNameNode.string();
    if (tlsServerName != null && !HostNames.isHostOrAddress(tlsServerName)) {
      serverNameNode.error("expected a host name, was '" + tlsServerName + "'");
    }
    Duration connectTimeout =
        node.get("connectTimeout")
            .duration(ConfigLoader.DEFAULT_CONNECT_TIMEOUT, Duration.ofMillis(1), MAX_TIMEOUT);
    Duration idleTimeout =
        node.get("idleTimeout")
            .duration(ConfigLoader.DEFAULT_UPSTREAM_IDLE_TIMEOUT, Duration.ofMillis(1), MAX_TIMEOUT);
    if (node.errorCount() != errorsBefore) {
      return null;
    }
    return new GatewayConfig.Cluster(
        name, server, ca, tlsServerName, credentials, connectTimeout, idleTimeout);
  }

  private static String name(ConfigNode node) {
    String name = node.requiredString();
    if (name != null && !DNS_LABEL.matcher(name).matches()) {
      node.error(
          "must be a DNS label: lower-case letters, digits and '-', at most 63 characters,"
              + " starting and ending with a letter or digit; was '" + name + "'");
      return null;
    }
    return name;
  }

  /** The https URL with any trailing '/' removed, so its path is usable as a base path. */
  private static URI server(ConfigNode node, boolean optional) {
    if (node.isAbsent()) {
      if (!optional) {
        node.error("required: the API server's https URL, e.g. https://10.0.0.1:6443");
      }
      return null;
    }
    return serverUrl(node, node.string());
  }

  private static URI serverUrl(ConfigNode node, String text) {
    if (text == null) {
      return null;
    }
    try {
      return ServerUrls.parse(text);
    } catch (IllegalArgumentException e) {
      node.error(e.getMessage());
      return null;
    }
  }

  private static Credentials credentials(ConfigNode node) {
    if (!node.mapping(CREDENTIAL_KEYS, true)) {
      return null;
    }
    int errorsBefore = node.errorCount();
    List<String> kinds = new ArrayList<>();
    ConfigNode tokenFile = node.get("tokenFile");
    ConfigNode clientCert = node.get("clientCert");
    ConfigNode clientKey = node.get("clientKey");
    ConfigNode kubeconfig = node.get("kubeconfig");
    ConfigNode context = node.get("context");
    ConfigNode inClusterNode = node.get("inCluster");
    boolean inCluster = inClusterNode.bool(false);
    if (!tokenFile.isAbsent()) {
      kinds.add("tokenFile");
    }
    if (!clientCert.isAbsent() || !clientKey.isAbsent()) {
      kinds.add("clientCert/clientKey");
    }
    if (!kubeconfig.isAbsent() || !context.isAbsent()) {
      kinds.add("kubeconfig");
    }
    if (inCluster) {
      kinds.add("inCluster");
    }
    if (node.errorCount() != errorsBefore) {
      return null;
    }
    if (kinds.isEmpty()) {
      node.error("one credential kind is required: " + CREDENTIAL_KINDS);
      return null;
    }
    if (kinds.size() > 1) {
      node.error(
          "exactly one credential kind is allowed, found " + String.join(" and ", kinds)
              + "; choose one of " + CREDENTIAL_KINDS);
      return null;
    }
    switch (kinds.get(0)) {
      case "tokenFile":
        Path token = tokenFile.file();
        return token == null ? null : new Credentials.TokenFile(token);
      case "clientCert/clientKey":
        return clientCertificate(clientCert, clientKey);
      case "kubeconfig":
        Path kubeconfigFile = kubeconfig.requiredFile();
        String contextName = context.string();
        return kubeconfigFile == null || node.errorCount() != errorsBefore
            ? null
            : new Credentials.Kubeconfig(kubeconfigFile, contextName);
      default:
        return new Credentials.InCluster();
    }
  }

  private static Credentials clientCertificate(ConfigNode certNode, ConfigNode keyNode) {
    Path cert = certNode.requiredFile();
    Path key = keyNode.requiredFile();
    int errorsBefore = certNode.errorCount();
    PemChecks.keyPair(certNode, cert, keyNode, key);
    if (cert == null || key == null || certNode.errorCount() != errorsBefore) {
      return null;
    }
    return new Credentials.ClientCertificate(cert, key);
  }
}
