package dev.kgate.cli.rbac;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cluster for sync tests: fabric8's mock API server in CRUD mode on loopback (plain HTTP), seeded
 * with namespaces, and a client for it. The mock keeps objects and assigns uids and resource
 * versions, so a test can tell whether an object was written.
 */
final class MockCluster implements AutoCloseable {

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private MockCluster(KubernetesMockServer server) {
    this.server = server;
    Config config = Config.empty();
    config.setMasterUrl(url());
    config.setRequestRetryBackoffLimit(0);
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  static MockCluster start(String... namespaces) {
    KubernetesMockServer server = new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    MockCluster cluster = new MockCluster(server);
    for (String namespace : namespaces) {
      cluster.addNamespace(namespace);
    }
    return cluster;
  }

  void addNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
  }

  String url() {
    return "http://127.0.0.1:" + server.getPort();
  }

  KubernetesClient client() {
    return client;
  }

  /** Every RBAC object the cluster holds, managed by kgate or not, by key. */
  Map<String, HasMetadata> rbacObjects() {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.rbac().clusterRoles().list().getItems());
    all.addAll(client.rbac().clusterRoleBindings().list().getItems());
    all.addAll(client.rbac().roles().inAnyNamespace().list().getItems());
    all.addAll(client.rbac().roleBindings().inAnyNamespace().list().getItems());
    Map<String, HasMetadata> byKey = new TreeMap<>();
    all.forEach(object -> byKey.put(ObjectKey.of(object).toString(), object));
    return byKey;
  }

  /** The resourceVersion of every RBAC object, by key: equal maps mean nothing was written. */
  Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    rbacObjects().forEach((key, object) -> versions.put(key, object.getMetadata().getResourceVersion()));
    return versions;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
