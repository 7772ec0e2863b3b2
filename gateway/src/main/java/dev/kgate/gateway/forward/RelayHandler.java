package dev.kgate.gateway.forward;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Copies bytes from one channel to its peer after an upgrade (exec, attach, cp, port-forward),
 * blind to the protocol inside, exactly as the API server's own upgrade proxy does. Backpressure
 * is TCP's: the next read happens only after the previous write succeeded (SPDY has no working
 * flow control in practice, PROTOCOLS.md §3). Until {@link #activate} the relay holds what it
 * receives, so bytes that arrived with the 101 are passed on first and in order. A tap (the session
 * recorder) may look at each chunk just before it is written; it must neither change nor keep it.
 */
final class RelayHandler extends ChannelInboundHandlerAdapter {

  private final Channel peer;
  private final Consumer<ByteBuf> tap;
  private final ArrayDeque<ByteBuf> held = new ArrayDeque<>();
  private ChannelHandlerContext ctx;
  private boolean active;

  RelayHandler(Channel peer) {
    this(peer, null);
  }

  RelayHandler(Channel peer, Consumer<ByteBuf> tap) {
    this.peer = peer;
    this.tap = tap;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  void activate() {
    active = true;
    ctx.channel().config().setAutoRead(false);
    if (held.isEmpty()) {
      ctx.read();
      return;
    }
    for (ByteBuf buf; (buf = held.poll()) != null; ) {
      tap(buf);
      if (held.isEmpty()) {
        peer.writeAndFlush(buf).addListener(this::afterWrite);
      } else {
        peer.write(buf);
      }
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg); // the empty end of the 101 from the HTTP decoder
      return;
    }
    if (!active) {
      held.add(buf);
      return;
    }
    tap(buf);
    peer.writeAndFlush(buf).addListener(this::afterWrite);
  }

  private void tap(ByteBuf buf) {
    if (tap != null) {
      tap.accept(buf);
    }
  }

  private void afterWrite(io.netty.util.concurrent.Future<? super Void> f) {
    if (f.isSuccess()) {
      ctx.read();
    } else {
      ctx.channel().close();
      peer.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseHeld();
    closeOnFlush(peer);
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    closeOnFlush(ctx.channel());
  }

  private void releaseHeld() {
    for (ByteBuf buf; (buf = held.poll()) != null; ) {
      buf.release();
    }
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
