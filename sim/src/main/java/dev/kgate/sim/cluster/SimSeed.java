package dev.kgate.sim.cluster;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects every simulated cluster starts with, and the builders used to make more. Names are
 * public so tests can refer to them: four namespaces, a deployment per team namespace, pods (one
 * with an {@code app} container and a {@code sidecar}), secrets, a config map, a service, a node.
 */
public final class SimSeed {

  public static final List<String> NAMESPACES = List.of("default", "payments", "dev-team", "kube-system");
  /** A pod in {@code payments} with containers {@code app} and {@code sidecar}. */
  public static final String SIDECAR_POD = "payments-api-6d4cf56db6-2xkqp";
  /** A pod in {@code payments} with the single container {@code app}. */
  public static final String SINGLE_CONTAINER_POD = "ledger-0";
  /** A pod in {@code dev-team}. */
  public static final String DEV_POD = "web-5b7d9f8c4-k2v9x";
  /** A secret in {@code payments}. */
  public static final String PAYMENTS_SECRET = "db-credentials";
  public static final String NODE = "sim-node-1";

  private SimSeed() {}

  /** The seed objects as (collection path, object) pairs, in creation order. */
  static List<Map.Entry<String, ObjectNode>> objects(Instant now) {
    List<Map.Entry<String, ObjectNode>> objects = new ArrayList<>();
    for (String ns : NAMESPACES) {
      objects.add(Map.entry("/api/v1/namespaces", namespace(ns)));
    }
    objects.add(Map.entry("/api/v1/nodes", node()));
    for (String ns : NAMESPACES) {
      objects.add(Map.entry("/api/v1/namespaces/" + ns + "/serviceaccounts", serviceAccount(ns)));
    }
    objects.add(Map.entry("/apis/apps/v1/namespaces/payments/deployments",
        deployment("payments", "payments-api", 1, List.of("app", "sidecar"))));
    objects.add(Map.entry("/apis/apps/v1/namespaces/dev-team/deployments",
        deployment("dev-team", "web", 1, List.of("app"))));
    objects.add(Map.entry("/apis/apps/v1/namespaces/kube-system/deployments",
        deployment("kube-system", "coredns", 1, List.of("app"))));
    objects.add(Map.entry("/api/v1/namespaces/payments/pods",
        pod("payments", SIDECAR_POD, List.of("app", "sidecar"), Map.of("app", "payments-api"), now)));
    objects.add(Map.entry("/api/v1/namespaces/payments/pods",
        pod("payments", SINGLE_CONTAINER_POD, List.of("app"), Map.of("app", "ledger"), now)));
    objects.add(Map.entry("/api/v1/namespaces/dev-team/pods",
        pod("dev-team", DEV_POD, List.of("app"), Map.of("app", "web"), now)));
    objects.add(Map.entry("/api/v1/namespaces/kube-system/pods",
        pod("kube-system", "coredns-7db6d8ff4d-x5x2b", List.of("app"), Map.of("app", "coredns"), now)));
    objects.add(Map.entry("/api/v1/namespaces/payments/secrets",
        secret("payments", PAYMENTS_SECRET, Map.of("username", "cGF5bWVudHM=", "password", "czNjcjN0"))));
    objects.add(Map.entry("/api/v1/namespaces/dev-team/secrets",
        secret("dev-team", "api-key", Map.of("key", "ZGV2LWtleQ=="))));
    objects.add(Map.entry("/api/v1/namespaces/payments/configmaps", configMap("payments", "payments-config")));
    objects.add(Map.entry("/api/v1/namespaces/payments/services", service("payments", "payments-api")));
    return objects;
  }

  static ObjectNode namespace(String name) {
    ObjectNode ns = object("v1", "Namespace", null, name);
    ((ObjectNode) ns.path("metadata")).putObject("labels").put("kubernetes.io/metadata.name", name);
    ns.putObject("spec").putArray("finalizers").add("kubernetes");
    ns.putObject("status").put("phase", "Active");
    return ns;
  }

  /** A running pod with the given containers, all ready. */
  static ObjectNode pod(String namespace, String name, List<String> containers, Map<String, String> labels, Instant now) {
    ObjectNode pod = object("v1", "Pod", namespace, name);
    ObjectNode podLabels = ((ObjectNode) pod.path("metadata")).putObject("labels");
    labels.forEach(podLabels::put);
    ObjectNode spec = pod.putObject("spec");
    ArrayNode specContainers = spec.putArray("containers");
    for (String c : containers) {
      ObjectNode container = specContainers.addObject();
      container.put("name", c);
      container.put("image", "registry.example/" + c + ":1.0");
      container.put("imagePullPolicy", "IfNotPresent");
    }
    spec.put("nodeName", NODE);
    spec.put("restartPolicy", "Always");
    spec.put("serviceAccountName", "default");
    markRunning(pod, now);
    return pod;
  }

  /**
   * Gives a pod the status a kubelet would report once all its containers started, so pods created
   * through the simulated cluster look scheduled and running, as {@code kubectl wait} expects.
   */
  static void markRunning(ObjectNode pod, Instant now) {
    String name = Json.text(pod, "metadata", "name");
    ObjectNode spec = pod.has("spec") && pod.get("spec").isObject() ? (ObjectNode) pod.get("spec") : pod.putObject("spec");
    if (!spec.has("nodeName")) {
      spec.put("nodeName", NODE);
    }
    String started = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    ObjectNode status = pod.putObject("status");
    status.put("phase", "Running");
    status.put("hostIP", "10.0.0.10");
    status.put("podIP", "10.244.0." + (Math.floorMod(name.hashCode(), 200) + 10));
    status.put("startTime", started);
    ArrayNode conditions = status.putArray("conditions");
    for (String type : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
      ObjectNode condition = conditions.addObject();
      condition.put("type", type);
      condition.put("status", "True");
      condition.put("lastTransitionTime", started);
    }
    ArrayNode statuses = status.putArray("containerStatuses");
    for (tools.jackson.databind.JsonNode c : spec.path("containers")) {
      String container = Json.text(c, "name");
      String image = Json.text(c, "image");
      ObjectNode s = statuses.addObject();
      s.put("name", container);
      s.put("ready", true);
      s.put("started", true);
      s.put("restartCount", 0);
      s.put("image", image);
      s.put("imageID", image + "@sha256:" + "0".repeat(64));
      s.put("containerID", "containerd://" + Integer.toHexString((name + container).hashCode()));
      s.putObject("state").putObject("running").put("startedAt", started);
    }
  }

  private static ObjectNode deployment(String namespace, String name, int replicas, List<String> containers) {
    ObjectNode d = object("apps/v1", "Deployment", namespace, name);
    ((ObjectNode) d.path("metadata")).putObject("labels").put("app", name);
    ObjectNode spec = d.putObject("spec");
    spec.put("replicas", replicas);
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", name);
    ArrayNode specContainers = template.putObject("spec").putArray("containers");
    for (String c : containers) {
      ObjectNode container = specContainers.addObject();
      container.put("name", c);
      container.put("image", "registry.example/" + c + ":1.0");
    }
    ObjectNode status = d.putObject("status");
    status.put("observedGeneration", 1);
    status.put("replicas", replicas);
    status.put("updatedReplicas", replicas);
    status.put("readyReplicas", replicas);
    status.put("availableReplicas", replicas);
    return d;
  }

  private static ObjectNode secret(String namespace, String name, Map<String, String> data) {
    ObjectNode s = object("v1", "Secret", namespace, name);
    s.put("type", "Opaque");
    ObjectNode d = s.putObject("data");
    data.forEach(d::put);
    return s;
  }

  private static ObjectNode configMap(String namespace, String name) {
    ObjectNode cm = object("v1", "ConfigMap", namespace, name);
    ObjectNode data = cm.putObject("data");
    data.put("LOG_LEVEL", "info");
    data.put("REGION", "eu-west-1");
    return cm;
  }

  private static ObjectNode service(String namespace, String name) {
    ObjectNode svc = object("v1", "Service", namespace, name);
    ObjectNode spec = svc.putObject("spec");
    spec.put("type", "ClusterIP");
    spec.put("clusterIP", "10.96.0.42");
    spec.putObject("selector").put("app", name);
    ObjectNode port = spec.putArray("ports").addObject();
    port.put("name", "http");
    port.put("port", 80);
    port.put("protocol", "TCP");
    port.put("targetPort", 8080);
    return svc;
  }

  private static ObjectNode serviceAccount(String namespace) {
    return object("v1", "ServiceAccount", namespace, "default");
  }

  private static ObjectNode node() {
    ObjectNode node = object("v1", "Node", null, NODE);
    ObjectNode status = node.putObject("status");
    ObjectNode info = status.putObject("nodeInfo");
    info.put("kubeletVersion", DiscoveryDocuments.SERVER_VERSION);
    info.put("osImage", "kgate sim");
    info.put("architecture", "amd64");
    info.put("operatingSystem", "linux");
    ObjectNode ready = status.putArray("conditions").addObject();
    ready.put("type", "Ready");
    ready.put("status", "True");
    return node;
  }

  private static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
    ObjectNode o = Json.object();
    o.put("apiVersion", apiVersion);
    o.put("kind", kind);
    ObjectNode metadata = o.putObject("metadata");
    metadata.put("name", name);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    return o;
  }
}
