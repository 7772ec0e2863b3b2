package dev.kgate.gateway.forward;

import dev.kgate.gateway.upstream.UpstreamTarget;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The upstream connection pools, one per event loop and cluster. Looking up the loop's map is the
 * only shared step; everything inside a loop's map is touched by that loop alone.
 */
public final class UpstreamPools implements AutoCloseable {

  private final Class<? extends SocketChannel> channelClass;
  private final ConcurrentHashMap<EventLoop, Map<String, ClusterConnectionPool>> byLoop = new ConcurrentHashMap<>();

  public UpstreamPools(Class<? extends SocketChannel> channelClass) {
    this.channelClass = Objects.requireNonNull(channelClass, "channelClass");
  }

  /** Must be called on {@code loop}. */
  public Future<UpstreamExchange> acquire(EventLoop loop, UpstreamTarget target) {
    Map<String, ClusterConnectionPool> pools = byLoop.computeIfAbsent(loop, l -> new HashMap<>());
    ClusterConnectionPool pool = pools.get(target.clusterName());
    if (pool == null) {
      pool = new ClusterConnectionPool(target, loop, channelClass);
      pools.put(target.clusterName(), pool);
    }
    return pool.acquire();
  }

  public Class<? extends SocketChannel> channelClass() {
    return channelClass;
  }

  @Override
  public void close() {
    byLoop.forEach((loop, pools) -> loop.execute(() -> pools.values().forEach(ClusterConnectionPool::close)));
  }
}
