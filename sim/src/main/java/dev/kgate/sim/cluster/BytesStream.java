package dev.kgate.sim.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.Objects;

/**
 * {@code GET /sim/bytes?size=N[&chunked=false]}: streams N bytes of the {@link SimBytes} pattern,
 * writing only while the channel is writable, so a slow reader (or a proxy that does not
 * propagate backpressure) shows up as memory held somewhere else, never here. Chunked by
 * default; {@code chunked=false} sends a Content-Length instead.
 */
final class BytesStream implements ResponseStream {

  static final int CHUNK = 16 * 1024;

  private final ChannelHandlerContext ctx;
  private final long size;
  private final boolean chunked;
  private final Runnable done;
  private long offset;
  private boolean finished;

  BytesStream(ChannelHandlerContext ctx, long size, boolean chunked, Runnable done) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.size = size;
    this.chunked = chunked;
    this.done = Objects.requireNonNull(done, "done");
  }

  @Override
  public void start() {
    HttpResponse head = Responses.streamHead("application/octet-stream");
    if (!chunked) {
      HttpUtil.setTransferEncodingChunked(head, false);
      head.headers().set(HttpHeaderNames.CONTENT_LENGTH, size);
    }
    ctx.write(head);
    writeWhileWritable();
  }

  @Override
  public void writabilityChanged() {
    if (ctx.channel().isWritable()) {
      writeWhileWritable();
    }
  }

  @Override
  public void channelClosed() {
    finished = true;
  }

  private void writeWhileWritable() {
    if (finished) {
      return;
    }
    while (offset < size && ctx.channel().isWritable()) {
      int n = (int) Math.min(CHUNK, size - offset);
      ByteBuf chunk = ctx.alloc().buffer(n);
      SimBytes.fill(chunk, offset, n);
      offset += n;
      ctx.write(new DefaultHttpContent(chunk));
    }
    if (offset >= size) {
      finished = true;
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      done.run();
    } else {
      ctx.flush();
    }
  }
}
