package dev.kgate.gateway.server;

import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.forward.UpstreamPools;
import dev.kgate.gateway.upstream.UpstreamTarget;
import dev.kgate.gateway.upstream.UpstreamTargets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed gateway configuration file's {@code clusters}: the whole file must be valid
 * and every new or changed cluster must resolve, else nothing changes and the errors are logged
 * with their key paths. Unchanged clusters keep their connections; a changed or removed cluster's
 * pools are retired, so its open watches and exec sessions end naturally rather than being cut.
 * Other sections (listener, issuers, audit, limits) take effect on the next start; a change to
 * them is logged as such.
 */
final class ClusterReloader implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ClusterReloader.class);

  private final Path configFile;
  private final AtomicReference<UpstreamTargets> targets;
  private final UpstreamPools pools;
  private final ScheduledExecutorService background;
  private GatewayConfig applied;

  ClusterReloader(Path configFile, GatewayConfig applied, AtomicReference<UpstreamTargets> targets,
      UpstreamPools pools, ScheduledExecutorService background) {
    this.configFile = Objects.requireNonNull(configFile, "configFile");
    this.applied = Objects.requireNonNull(applied, "applied");
    this.targets = Objects.requireNonNull(targets, "targets");
    this.pools = Objects.requireNonNull(pools, "pools");
    this.background = Objects.requireNonNull(background, "background");
  }

  @Override
  public void run() {
    GatewayConfig next;
    try {
      next = ConfigLoader.load(configFile);
    } catch (ConfigException e) {
      log.error("configuration {} changed but is invalid, keeping the clusters in force:\n{}", configFile,
          e.getMessage());
      return;
    }
    if (!next.clusters().equals(applied.clusters())) {
      UpstreamTargets.Reconciled reconciled;
      try {
        reconciled = targets.get().reconcile(next.clusters(), background);
      } catch (ConfigException e) {
        log.error("configuration {} changed but its clusters cannot be used, keeping those in force:\n{}",
            configFile, e.getMessage());
        return;
      }
      targets.set(reconciled.next());
      for (UpstreamTarget retired : reconciled.retired()) {
        pools.retire(retired);
        retired.close();
      }
      log.info("clusters reloaded from {}: {} ({} retired)", configFile,
          next.clusters().stream().map(GatewayConfig.Cluster::name).toList(), reconciled.retired().size());
    }
    if (!next.listen().equals(applied.listen()) || !next.issuers().equals(applied.issuers())
        || !next.audit().equals(applied.audit()) || !next.limits().equals(applied.limits())
        || !Objects.equals(next.admin(), applied.admin())) {
      log.warn("configuration {} changed outside clusters and policy; those changes take effect on restart",
          configFile);
    }
    applied = next;
  }
}
