package dev.kgate.gateway.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes client connections that hold no request and have been silent for the configured time.
 * A connection carrying a request is never closed for silence: a watch with no events, a quiet
 * {@code logs -f} or an idle shell are normal, and cutting them ends the user's command
 * (kubectl does not re-watch, PROTOCOLS.md §6).
 */
public final class ClientIdleHandler extends IdleStateHandler {

  private static final AttributeKey<Integer> IN_FLIGHT = AttributeKey.valueOf("kgate.client.inFlight");

  public ClientIdleHandler(Duration timeout) {
    super(0, 0, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Marks a request as started (+1) or finished (-1) on the connection that carries it. */
  public static void inFlight(Channel channel, int delta) {
    Channel connection = channel.parent() != null ? channel.parent() : channel;
    Integer now = connection.attr(IN_FLIGHT).get();
    connection.attr(IN_FLIGHT).set(Math.max(0, (now == null ? 0 : now) + delta));
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
    Integer active = ctx.channel().attr(IN_FLIGHT).get();
    Http2FrameCodec h2 = ctx.pipeline().get(Http2FrameCodec.class);
    boolean busy = (active != null && active > 0)
        || (h2 != null && h2.connection().numActiveStreams() > 0);
    if (!busy) {
      ctx.close();
    }
  }
}
