package dev.kgate.sim.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourcePathTest {

  @Test
  void aNamespacedSubresourceIsTakenApart() {
    ResourcePath p = ResourcePath.parse("/api/v1/namespaces/payments/pods/web/log").orElseThrow();

    assertThat(p).isEqualTo(new ResourcePath("", "v1", "payments", "pods", "web", "log", false));
    assertThat(p.objectPath()).isEqualTo("/api/v1/namespaces/payments/pods/web");
  }

  @Test
  void aGroupedClusterCollectionHasNoNamespaceOrName() {
    assertThat(ResourcePath.parse("/apis/rbac.authorization.k8s.io/v1/clusterroles").orElseThrow())
        .isEqualTo(new ResourcePath("rbac.authorization.k8s.io", "v1", null, "clusterroles", null, null, false));
  }

  @Test
  void aNamespaceObjectAndItsStatusAreClusterScoped() {
    assertThat(ResourcePath.parse("/api/v1/namespaces/payments").orElseThrow())
        .isEqualTo(new ResourcePath("", "v1", null, "namespaces", "payments", null, false));
    assertThat(ResourcePath.parse("/api/v1/namespaces/payments/status").orElseThrow())
        .isEqualTo(new ResourcePath("", "v1", null, "namespaces", "payments", "status", false));
  }

  @Test
  void theLegacyWatchPrefixIsRecognised() {
    assertThat(ResourcePath.parse("/api/v1/watch/namespaces/ns/pods").orElseThrow())
        .isEqualTo(new ResourcePath("", "v1", "ns", "pods", null, null, true));
  }

  @Test
  void discoveryAndEmptySegmentsAreNotResourcePaths() {
    assertThat(ResourcePath.parse("/api/v1")).isEmpty();
    assertThat(ResourcePath.parse("/apis/apps/v1")).isEmpty();
    assertThat(ResourcePath.parse("/version")).isEmpty();
    assertThat(ResourcePath.parse("/api/v1/namespaces//pods")).isEmpty();
  }
}
