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

  private UpstreamTargets(Map<String, UpstreamTarget> byName) {
    this.byName = byName;
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
    UpstreamTargetResolver resolver = new UpstreamTargetResolver(background, inCluster);
    Map<String, UpstreamTarget> byName = new LinkedHashMap<>();
    List<ConfigError> errors = new ArrayList<>();
    for (int i = 0; i < clusters.size(); i++) {
      GatewayConfig.Cluster cluster = clusters.get(i);
      String keyPath = "clusters[" + i + "]";
      if (byName.containsKey(cluster.name())) {
        errors.add(new ConfigError(keyPath + ".name", "duplicate cluster name '" + cluster.name() + "'"));
        continue;
      }
      try {
        byName.put(cluster.name(), resolver.resolve(cluster, keyPath));
      } catch (ConfigException e) {
        errors.addAll(e.errors());
      }
    }
    UpstreamTargets targets = new UpstreamTargets(byName);
    if (!errors.isEmpty()) {
      targets.close();
      throw new ConfigException(errors);
    }
    return targets;
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
