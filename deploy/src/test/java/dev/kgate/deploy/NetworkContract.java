package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Micro-segmentation: the namespace denies everything, then ingress reaches only the gateway port
 * (the admin port only from monitoring) and egress only DNS, API servers and the IdP. The Service
 * publishes 443 and nothing else.
 */
interface NetworkContract extends OverlayUnderTest {

  @Test
  default void aNetworkPolicySelectingEveryPodDeniesAllIngressAndEgress() {
    assertThat(rendered().manifests().ofType(NetworkPolicy.class))
        .as("a default-deny policy: every pod, both directions, no rules")
        .anySatisfy(policy -> {
          LabelSelector selector = policy.getSpec().getPodSelector();
          assertThat(selector).isNotNull();
          assertThat(selector.getMatchLabels()).isNullOrEmpty();
          assertThat(selector.getMatchExpressions()).isNullOrEmpty();
          assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
          assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
          assertThat(policy.getSpec().getEgress()).isNullOrEmpty();
        });
  }

  @Test
  default void ingressReachesOnlyTheGatewayPortAndTheAdminPortOnlyFromMonitoring() {
    List<NetworkPolicyIngressRule> rules = rendered().manifests().ofType(NetworkPolicy.class).stream()
        .flatMap(p -> p.getSpec().getIngress().stream())
        .collect(Collectors.toList());
    assertThat(rules).as("ingress rules").isNotEmpty();
    for (NetworkPolicyIngressRule rule : rules) {
      assertThat(rule.getPorts()).as("every ingress rule names its ports").isNotEmpty();
      Set<Object> ports = rule.getPorts().stream().map(p -> p.getPort().getValue()).collect(Collectors.toSet());
      if (ports.contains(ADMIN_PORT)) {
        assertThat(ports).as("the admin port has a rule of its own").containsExactly(ADMIN_PORT);
        assertThat(rule.getFrom()).as("who may reach the admin port")
            .isNotEmpty()
            .allSatisfy(peer -> {
              assertThat(peer.getIpBlock()).isNull();
              assertThat(peer.getNamespaceSelector()).isNotNull();
              assertThat(peer.getNamespaceSelector().getMatchLabels())
                  .containsEntry("kubernetes.io/metadata.name", "monitoring");
            });
      } else {
        assertThat(ports).as("the only other port open to ingress").containsExactly(GATEWAY_PORT);
      }
    }
  }

  @Test
  default void egressGoesOnlyToClusterDnsAndToTcpPortsOfAddressedApiServersAndIdp() {
    List<NetworkPolicyEgressRule> rules = rendered().manifests().ofType(NetworkPolicy.class).stream()
        .flatMap(p -> p.getSpec().getEgress().stream())
        .collect(Collectors.toList());
    assertThat(rules).as("egress rules").isNotEmpty();
    Set<String> dnsPorts = new TreeSet<>();
    for (NetworkPolicyEgressRule rule : rules) {
      assertThat(rule.getPorts()).as("every egress rule names its ports").isNotEmpty();
      assertThat(rule.getTo()).as("every egress rule names its destinations").isNotEmpty();
      for (NetworkPolicyPort port : rule.getPorts()) {
        Object number = port.getPort().getValue();
        assertThat(number).as("egress port").isIn(53, 443, 6443);
        if (number.equals(53)) {
          dnsPorts.add(port.getProtocol() + "/53");
          assertThat(rule.getTo()).as("DNS only to the cluster DNS in kube-system").allSatisfy(NetworkContract::isClusterDns);
        } else {
          assertThat(port.getProtocol()).as("API servers and the IdP speak TCP").isEqualTo("TCP");
          assertThat(rule.getTo()).as("API servers and the IdP are addressed by CIDR")
              .allSatisfy(peer -> assertThat(peer.getIpBlock()).isNotNull());
        }
      }
    }
    assertThat(dnsPorts).as("DNS over both UDP and TCP").containsExactly("TCP/53", "UDP/53");
  }

  private static void isClusterDns(NetworkPolicyPeer peer) {
    assertThat(peer.getIpBlock()).isNull();
    assertThat(peer.getNamespaceSelector()).isNotNull();
    assertThat(peer.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "kube-system");
    assertThat(peer.getPodSelector()).isNotNull();
    assertThat(peer.getPodSelector().getMatchLabels()).containsEntry("k8s-app", "kube-dns");
  }

  @Test
  default void theServiceExposesOnly443ToTheGatewayPort() {
    RenderedOverlay o = rendered();
    assertThat(o.manifests().ofType(Service.class)).as("Services").hasSize(1);
    Service service = o.manifests().one(Service.class, GATEWAY);
    assertThat(service.getSpec().getPorts()).as("Service ports").hasSize(1);
    ServicePort port = service.getSpec().getPorts().get(0);
    assertThat(port.getPort()).as("Service port").isEqualTo(443);
    Object target = port.getTargetPort().getValue();
    int targetNumber = target instanceof Integer number ? number : o.containerPort((String) target).getContainerPort();
    assertThat(targetNumber).as("the Service forwards to the gateway port, never to the admin port").isEqualTo(GATEWAY_PORT);
    assertThat(service.getSpec().getSelector())
        .as("the Service selects the gateway pods")
        .isEqualTo(o.deployment().getSpec().getSelector().getMatchLabels());
  }
}
