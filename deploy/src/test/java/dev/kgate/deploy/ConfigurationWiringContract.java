package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The gateway configuration in the ConfigMap and the pod agree: every path it names is where the
 * pod mounts that file, its ports are the container's ports, and mounts can be updated in place.
 */
interface ConfigurationWiringContract extends OverlayUnderTest {

  @Test
  default void theGatewayConfigurationUsesThePathsAndPortsThePodProvides() {
    RenderedOverlay o = rendered();
    assertThat(o.gateway().getArgs()).as("container args").containsExactly("serve", "--config", "/etc/kgate/gateway.yaml");
    Volume config = o.volumeAt("/etc/kgate");
    String configMap = o.configMapName("kgate-config");
    assertThat(RenderedOverlay.projectedPath(config, "ConfigMap", configMap, "gateway.yaml"))
        .as("gateway.yaml comes from the kgate-config ConfigMap")
        .contains("gateway.yaml");

    JsonNode gateway = YAMLMapper.builder().build()
        .readTree(o.manifests().one(ConfigMap.class, configMap).getData().get("gateway.yaml"));
    assertThat(gateway.path("listen").path("port").asInt()).as("listen.port").isEqualTo(o.containerPort("https").getContainerPort());
    assertThat(gateway.path("admin").path("port").asInt()).as("admin.port").isEqualTo(o.containerPort("admin").getContainerPort());
    assertThat(gateway.path("admin").path("address").asString())
        .as("admin.address: the kubelet probes the pod IP, so loopback would fail every probe")
        .isEqualTo("0.0.0.0");
    assertThat(gateway.path("listen").path("tls").path("cert").asString())
        .as("listen.tls.cert")
        .isEqualTo("/etc/kgate/" + RenderedOverlay.projectedPath(config, "Secret", "kgate-tls", "tls.crt").orElseThrow());
    assertThat(gateway.path("listen").path("tls").path("key").asString())
        .as("listen.tls.key")
        .isEqualTo("/etc/kgate/" + RenderedOverlay.projectedPath(config, "Secret", "kgate-tls", "tls.key").orElseThrow());
    assertThat(gateway.path("policy").asString())
        .as("policy")
        .isEqualTo("/etc/kgate/" + RenderedOverlay.projectedPath(config, "ConfigMap", "kgate-policy", "policy.yaml").orElseThrow());
    assertThat(gateway.path("audit").path("dir").asString())
        .as("audit.dir")
        .isEqualTo(o.mountAt("/var/lib/kgate/audit").getMountPath());
    assertThat(gateway.path("clusters").findValues("inCluster"))
        .as("the in-cluster entry is what the mounted ServiceAccount token is for")
        .anySatisfy(v -> assertThat(v.asBoolean()).isTrue());
  }

  @Test
  default void mountsHaveNoSubPathSoUpdatesReachTheRunningPod() {
    assertThat(rendered().gateway().getVolumeMounts())
        .as("a subPath mount never sees ConfigMap or Secret updates (renewed certificates, policy edits)")
        .allSatisfy(m -> assertThat(m.getSubPath()).isNullOrEmpty());
    assertThat(rendered().manifests().find(ConfigMap.class, "kgate-policy"))
        .as("the policy ConfigMap keeps a stable name, so an edit does not roll the Deployment")
        .isPresent();
  }
}
