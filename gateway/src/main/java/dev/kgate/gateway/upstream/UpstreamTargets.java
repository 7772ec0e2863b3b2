package dev.kgate.gateway.upstream;

import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.GatewayConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Every configured cluster, resolved into an {@link UpstreamTarget} at startup. Resolution reads
 * CA bundles, keys, kubeconfigs and token files, so it runs before the server accepts connections
 * and never on an event loop; all clusters are tried and every failure is reported at once,
 * under its {@code clusters[i]} path. Closing stops the credentials' background refresh.
 */
public final class UpstreamTargets implements AutoCloseable {

  private final Map<String, UpstreamTarget> byName;
  private final Map<String, GatewayConfig.Cluster> definitions;

  private UpstreamTargets(Map<String, UpstreamTarget> byName, Map<String, GatewayConfig.Cluster> definitions) {
    this.byName = byName;
    this.definitions = definitions;
  }

  /**
   * Resolves {@code clusters} in order; token files are re-checked on {@code background}, which
   * the caller owns and shuts down after {@link #close()}.
   */
  public static UpstreamTargets resolve(
      List<GatewayConfig.Cluster> clusters, ScheduledExecutorService background)
      throws ConfigException {
    return resolve(clusters, background, InClusterEnvironment.system());
  }

  /** As {@link #resolve(List, ScheduledExecutorService)}, with an explicit pod environment. */
  public static UpstreamTargets resolve(
      List<GatewayConfig.Cluster> clusters,
      ScheduledExecutorService background,
      InClusterEnvironment inCluster)
      throws ConfigException {
    return resolve(clusters, new UpstreamTargetResolver(background, inCluster), Map.of(), Map.of());
  }

  /**
   * The targets for a changed list of clusters: a cluster whose definition is unchanged keeps its
   * target (and with it its pooled connections and open watches); new and changed ones are
   * resolved afresh. Nothing changes when any cluster fails to resolve.
   *
   * @return the new set, and the targets of this set it no longer uses (for the caller to retire)
   */
  public Reconciled reconcile(List<GatewayConfig.Cluster> clusters, ScheduledExecutorService background)
      throws ConfigException {
    UpstreamTargets next = resolve(clusters, new UpstreamTargetResolver(background, InClusterEnvironment.system()),
        byName, definitions);
    List<UpstreamTarget> retired = new ArrayList<>();
    byName.forEach((name, target) -> {
      if (next.byName.get(name) != target) {
        retired.add(target);
      }
    });
    return new Reconciled(next, retired);
  }

  /** The outcome of {@link #reconcile}. */
  public record Reconciled(UpstreamTargets next, List<UpstreamTarget> retired) {}

  private static UpstreamTargets resolve(List<GatewayConfig.Cluster> clusters, UpstreamTargetResolver resolver,
      Map<String, UpstreamTarget> reusable, Map<String, GatewayConfig.Cluster> reusableDefinitions)
      throws ConfigException {
    Map<String, UpstreamTarget> byName = new LinkedHashMap<>();
    Map<String, GatewayConfig.Cluster> definitions = new LinkedHashMap<>();
    List<UpstreamTarget> created = new ArrayList<>();
    List<ConfigError> errors = new ArrayList<>();
    for (int i = 0; i < clusters.size(); i++) {
      GatewayConfig.Cluster cluster = clusters.get(i);
      String keyPath = "clusters[" + i + "]";
      if (byName.containsKey(cluster.name())) {
        errors.add(new ConfigError(keyPath + ".name", "duplicate cluster name '" + cluster.name() + "'"));
        continue;
      }
      definitions.put(cluster.name(), cluster);
      if (cluster.equals(reusableDefinitions.get(cluster.name()))) {
        byName.put(cluster.name(), reusable.get(cluster.name()));
        continue;
      }
      try {
        UpstreamTarget target = resolver.resolve(cluster, keyPath);
        created.add(target);
        byName.put(cluster.name(), target);
      } catch (ConfigException e) {
        errors.addAll(e.errors());
      }
    }
    if (!errors.isEmpty()) {
      created.forEach(UpstreamTarget::close);
      throw new ConfigException(errors);
    }
    return new UpstreamTargets(byName, definitions);
  }

  /** The target called {@code clusterName}, if configured. */
  public Optional<UpstreamTarget> find(String clusterName) {
    return Optional.ofNullable(byName.get(clusterName));
  }

  /** Every target, in configuration order. */
  public List<UpstreamTarget> all() {
    return List.copyOf(byName.values());
  }

  @Override
  public void close() {
    for (UpstreamTarget target : byName.values()) {
      target.close();
    }
  }
}
