package dev.kgate.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The objects of one rendered kustomization, parsed with fabric8's model: known kinds become their
 * typed classes, anything else (the cert-manager {@code Certificate}) a
 * {@link GenericKubernetesResource}.
 */
final class RenderedManifests {

  private final List<HasMetadata> objects;

  private RenderedManifests(List<HasMetadata> objects) {
    this.objects = List.copyOf(objects);
  }

  static RenderedManifests parse(String yaml) {
    Objects.requireNonNull(yaml, "yaml");
    Object parsed = new KubernetesSerialization().unmarshal(yaml);
    if (parsed instanceof HasMetadata single) {
      return new RenderedManifests(List.of(single));
    }
    if (!(parsed instanceof List<?> list)) {
      throw new AssertionError("kustomize rendered neither an object nor a list: " + parsed);
    }
    return new RenderedManifests(list.stream()
        .map(item -> {
          if (!(item instanceof HasMetadata object)) {
            throw new AssertionError("rendered document is not a Kubernetes object: " + item);
          }
          return object;
        })
        .collect(Collectors.toList()));
  }

  List<HasMetadata> all() {
    return objects;
  }

  <T extends HasMetadata> List<T> ofType(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
  }

  <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
    return ofType(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
  }

  <T extends HasMetadata> T one(Class<T> type, String name) {
    return find(type, name).orElseThrow(
        () -> new AssertionError("no " + type.getSimpleName() + " named " + name + " among " + names()));
  }

  /** Objects of kinds fabric8 has no class for, by kind. */
  List<GenericKubernetesResource> generic(String kind) {
    return ofType(GenericKubernetesResource.class).stream()
        .filter(o -> kind.equals(o.getKind()))
        .collect(Collectors.toList());
  }

  List<String> names() {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toList());
  }
}
