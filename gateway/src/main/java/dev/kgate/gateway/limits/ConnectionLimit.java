package dev.kgate.gateway.limits;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's global connection limit ({@code limits.maxConnections}). A connection over the
 * limit is still accepted and its TLS completed, so that its first request can get a proper 429
 * {@code Status} with {@code Retry-After} (kubectl shows it and retries) before the connection is
 * dropped; a bare TCP reset would tell the person nothing.
 */
public final class ConnectionLimit {

  private static final AttributeKey<Boolean> OVER = AttributeKey.valueOf("kgate.overConnectionLimit");

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

  public ConnectionLimit(int max) {
    this.max = max;
  }

  /** Counts a new client connection until it closes, and marks it when it is over the limit. */
  public void accepted(Channel connection) {
    if (open.incrementAndGet() > max) {
      connection.attr(OVER).set(Boolean.TRUE);
    }
    connections.add(connection);
    connection.closeFuture().addListener(f -> {
      open.decrementAndGet();
      connections.remove(connection);
    });
  }

  /** The client connections open now (a snapshot), for a graceful shutdown. */
  public List<Channel> connections() {
    return List.copyOf(connections);
  }

  /** Whether the connection (or, for an HTTP/2 stream, its connection) came in over the limit. */
  public static boolean isOver(Channel channel) {
    Channel connection = channel.parent() != null && !(channel.parent() instanceof io.netty.channel.ServerChannel)
        ? channel.parent()
        : channel;
    return Boolean.TRUE.equals(connection.attr(OVER).get());
  }

  public int open() {
    return open.get();
  }
}
