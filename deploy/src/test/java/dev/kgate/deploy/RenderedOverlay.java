package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One overlay as {@code kubectl kustomize} renders it, with the gateway's Deployment, pod and
 * container picked out and lookups that fail with a message naming what is missing.
 */
final class RenderedOverlay {

  static final String GATEWAY = "kgate";

  private final String name;
  private final RenderedManifests manifests;
  private final Deployment deployment;
  private final Container gateway;

  private RenderedOverlay(String name, RenderedManifests manifests) {
    this.name = Objects.requireNonNull(name, "name");
    this.manifests = Objects.requireNonNull(manifests, "manifests");
    this.deployment = manifests.one(Deployment.class, GATEWAY);
    this.gateway = pod().getContainers().stream()
        .filter(c -> GATEWAY.equals(c.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the Deployment has no container named " + GATEWAY));
  }

  /** Renders {@code deploy/kustomize/overlays/<name>} with the real kubectl. */
  static RenderedOverlay render(String name) {
    String yaml = Kustomize.fromSystemProperties()
        .render(Kustomize.deployDir().resolve("kustomize/overlays").resolve(name));
    return new RenderedOverlay(name, RenderedManifests.parse(yaml));
  }

  String name() {
    return name;
  }

  RenderedManifests manifests() {
    return manifests;
  }

  Deployment deployment() {
    return deployment;
  }

  PodSpec pod() {
    return deployment.getSpec().getTemplate().getSpec();
  }

  Container gateway() {
    return gateway;
  }

  ContainerPort containerPort(String portName) {
    return gateway.getPorts().stream()
        .filter(p -> portName.equals(p.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container port named " + portName));
  }

  VolumeMount mountAt(String path) {
    return gateway.getVolumeMounts().stream()
        .filter(m -> path.equals(m.getMountPath()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("nothing is mounted at " + path));
  }

  Volume volumeAt(String path) {
    return volume(mountAt(path).getName());
  }

  Volume volume(String volumeName) {
    return pod().getVolumes().stream()
        .filter(v -> volumeName.equals(v.getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume named " + volumeName));
  }

  /** Where a key of a ConfigMap or Secret lands inside a projected volume, if it is projected. */
  static Optional<String> projectedPath(Volume volume, String kind, String sourceName, String key) {
    assertThat(volume.getProjected()).as("volume " + volume.getName() + " is projected").isNotNull();
    for (VolumeProjection source : volume.getProjected().getSources()) {
      List<KeyToPath> items = null;
      if (kind.equals("Secret") && source.getSecret() != null && sourceName.equals(source.getSecret().getName())) {
        items = source.getSecret().getItems();
      } else if (kind.equals("ConfigMap") && source.getConfigMap() != null && sourceName.equals(source.getConfigMap().getName())) {
        items = source.getConfigMap().getItems();
      }
      if (items != null) {
        return items.stream().filter(i -> key.equals(i.getKey())).map(KeyToPath::getPath).findFirst();
      }
    }
    return Optional.empty();
  }

  /** The rendered name of a generated ConfigMap: the prefix, with or without kustomize's content hash. */
  String configMapName(String prefix) {
    List<String> names = manifests.ofType(ConfigMap.class).stream()
        .map(c -> c.getMetadata().getName())
        .filter(n -> n.equals(prefix) || n.matches(Pattern.quote(prefix) + "-[a-z0-9]{10}"))
        .collect(Collectors.toList());
    assertThat(names).as("ConfigMaps named " + prefix + "[-hash]").hasSize(1);
    return names.get(0);
  }
}
