package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/kustomize/overlays/production}: three replicas and an autoscaler, Guaranteed QoS,
 * the TLS Secret issued by cert-manager, a load balancer that keeps client addresses.
 */
final class ProductionOverlayTest extends OverlayContract {

  @Override
  String overlay() {
    return "production";
  }

  @Override
  public int expectedReplicas() {
    return 3;
  }

  @Override
  public boolean expectedAutoscaler() {
    return true;
  }

  @Test
  void certManagerIssuesTheSecretThePodMountsForTls() {
    assertThat(rendered().manifests().generic("Certificate")).as("cert-manager Certificates").singleElement().satisfies(certificate -> {
      assertThat(certificate.getApiVersion()).isEqualTo("cert-manager.io/v1");
      assertThat(certificate.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
      assertThat(spec(certificate)).containsEntry("secretName", "kgate-tls");
      assertThat(spec(certificate)).containsKeys("issuerRef", "dnsNames");
      assertThat(spec(certificate).get("privateKey"))
          .as("a new key on each renewal")
          .isInstanceOf(Map.class)
          .satisfies(key -> assertThat(((Map<?, ?>) key).get("rotationPolicy")).isEqualTo("Always"));
    });
    assertThat(RenderedOverlay.projectedPath(rendered().volumeAt("/etc/kgate"), "Secret", "kgate-tls", "tls.crt"))
        .as("the pod mounts the Secret cert-manager writes")
        .isPresent();
  }

  @Test
  void requestsEqualLimitsForGuaranteedQos() {
    assertThat(rendered().gateway().getResources().getRequests())
        .as("requests equal limits: the gateway is the last pod evicted under node pressure")
        .isEqualTo(rendered().gateway().getResources().getLimits());
  }

  @Test
  void theLoadBalancerKeepsTheClientsAddressAndTheAuditVolumeIsShared() {
    Service service = rendered().manifests().one(Service.class, GATEWAY);
    assertThat(service.getSpec().getType()).as("Service type").isEqualTo("LoadBalancer");
    assertThat(service.getSpec().getExternalTrafficPolicy())
        .as("Local keeps the client's source address for the audit log")
        .isEqualTo("Local");
    PersistentVolumeClaim claim = rendered().manifests().one(PersistentVolumeClaim.class, "kgate-audit");
    assertThat(claim.getSpec().getAccessModes())
        .as("replicas on different nodes mount the same claim")
        .containsExactly("ReadWriteMany");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource resource) {
    return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
  }
}
