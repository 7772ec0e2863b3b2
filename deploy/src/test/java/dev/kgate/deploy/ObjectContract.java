package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every rendered object is one the API server knows, in the gateway's namespace. */
interface ObjectContract extends OverlayUnderTest {

  @Test
  default void everyRenderedObjectParsesWithoutFieldsTheApiServerWouldNotKnow() {
    RenderedManifests manifests = rendered().manifests();
    assertThat(manifests.all()).as("objects rendered").isNotEmpty();
    List<String> unknown = new ArrayList<>();
    for (HasMetadata object : manifests.all()) {
      UnknownFields.in(object).forEach(u -> unknown.add(object.getKind() + "/" + object.getMetadata().getName() + " " + u));
    }
    assertThat(unknown).as("fields fabric8's model does not know (misspelt or misplaced keys)").isEmpty();
    assertThat(manifests.ofType(GenericKubernetesResource.class))
        .as("only cert-manager objects may lack a fabric8 class; anything else is a wrong apiVersion or kind")
        .allSatisfy(o -> assertThat(o.getApiVersion()).startsWith("cert-manager.io/"));
  }

  @Test
  default void everyNamespacedObjectLivesInTheKgateNamespace() {
    Set<String> clusterScoped = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");
    assertThat(rendered().manifests().all())
        .filteredOn(o -> !clusterScoped.contains(o.getKind()))
        .as("namespaced objects")
        .isNotEmpty()
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace())
            .as("namespace of %s/%s", o.getKind(), o.getMetadata().getName())
            .isEqualTo(NAMESPACE));
  }

  @Test
  default void theNamespaceEnforcesTheRestrictedPodSecurityStandard() {
    Namespace namespace = rendered().manifests().one(Namespace.class, NAMESPACE);
    assertThat(namespace.getMetadata().getLabels())
        .as("Pod Security Admission makes the API server refuse a pod that loosens the hardening")
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }
}
