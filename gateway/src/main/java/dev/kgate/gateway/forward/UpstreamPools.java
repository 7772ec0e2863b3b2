package dev.kgate.gateway.forward;

import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream connection pools, one per event loop and cluster. Looking up the loop's map is the
 * only shared step; everything inside a loop's map is touched by that loop alone.
 */
public final class UpstreamPools implements AutoCloseable {

  private final Class<? extends SocketChannel> channelClass;
  /** Pools per event loop, per target (by identity: a reloaded cluster definition is a new target). */
  private final ConcurrentHashMap<EventLoop, Map<UpstreamTarget, ClusterConnectionPool>> byLoop = new ConcurrentHashMap<>();

  public UpstreamPools(Class<? extends SocketChannel> channelClass) {
    this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
  }

  /** Must be called on {@code loop}. */
  public Future<UpstreamExchange> acquire(EventLoop loop, UpstreamTarget target) {
    Map<UpstreamTarget, ClusterConnectionPool> pools = byLoop.computeIfAbsent(loop, l -> new IdentityHashMap<>());
    ClusterConnectionPool pool = pools.get(target);
    if (pool == null) {
      pool = new ClusterConnectionPool(target, loop, channelClass);
      pools.put(target, pool);
    }
    return pool.acquire();
  }

  /** Stops using {@code target}'s pools: idle connections close, busy ones after their exchanges. */
  public void retire(UpstreamTarget target) {
    byLoop.forEach((loop, pools) -> loop.execute(() -> {
      ClusterConnectionPool pool = pools.remove(target);
      if (pool != null) {
        pool.retire();
      }
    }));
  }

  public Class<? extends SocketChannel> channelClass() {
    return channelClass;
  }

  @Override
  public void close() {
    byLoop.forEach((loop, pools) -> loop.execute(() -> pools.values().forEach(ClusterConnectionPool::close)));
  }
}
