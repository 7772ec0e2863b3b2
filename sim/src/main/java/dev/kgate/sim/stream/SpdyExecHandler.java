package dev.kgate.sim.stream;

import dev.kgate.sim.stream.container.ProcessIo;
import dev.kgate.sim.stream.container.SimProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * exec and attach over SPDY/3.1 ({@code v4.channel.k8s.io}): the client opens one stream per
 * {@code streamtype} ({@code error} first, then {@code stdin}, {@code stdout}, {@code stderr},
 * {@code resize}), each answered with SYN_REPLY because spdystream waits for it. Like the kubelet,
 * the process starts once every stream the query asked for exists. At the end stdout and stderr
 * get FIN, the Status goes on the error stream, then FIN.
 */
final class SpdyExecHandler extends ExecSessionHandler {

  /** The kubelet's default stream creation timeout. */
  static final long STREAM_CREATION_TIMEOUT_SECONDS = 30;

  private static final Set<String> STREAM_TYPES = Set.of("error", "stdin", "stdout", "stderr", "resize");

  private final Set<String> expected = new LinkedHashSet<>();
  private final Map<String, Integer> streamsByType = new HashMap<>();
  private final Map<Integer, String> typesByStream = new HashMap<>();
  private final Set<Integer> reset = new HashSet<>();
  private ScheduledFuture<?> creationTimeout;
  private boolean finished;

  SpdyExecHandler(StreamRequest request, Function<ProcessIo, SimProcess> launcher) {
    super(request, launcher);
    expected.add("error");
    if (request.stdin()) {
      expected.add("stdin");
    }
    if (request.stdout()) {
      expected.add("stdout");
    }
    if (request.stderr()) {
      expected.add("stderr");
    }
    if (request.tty()) {
      expected.add("resize");
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    super.handlerAdded(ctx);
    creationTimeout = ctx.executor().schedule(() -> {
      if (!streamsByType.keySet().containsAll(expected)) {
        ctx.close();
      }
    }, STREAM_CREATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (SpdyStreams.answerPing(ctx, msg)) {
        return;
      }
      if (msg instanceof SpdySynStreamFrame) {
        streamOpened((SpdySynStreamFrame) msg);
      } else if (msg instanceof SpdyDataFrame) {
        data((SpdyDataFrame) msg);
      } else if (msg instanceof SpdyRstStreamFrame) {
        int streamId = ((SpdyRstStreamFrame) msg).streamId();
        reset.add(streamId);
        if ("stdin".equals(typesByStream.get(streamId))) {
          deliverStdinEnd();
        }
      } else if (msg instanceof SpdyGoAwayFrame) {
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void streamOpened(SpdySynStreamFrame frame) {
    int streamId = frame.streamId();
    String type = frame.headers().getAsString(SpdyStreams.STREAM_TYPE);
    if (type == null || !STREAM_TYPES.contains(type) || streamsByType.containsKey(type) || finished) {
      SpdyStreams.reset(ctx, streamId);
      return;
    }
    SpdyStreams.reply(ctx, streamId, type);
    streamsByType.put(type, streamId);
    typesByStream.put(streamId, type);
    if (frame.isLast() && type.equals("stdin")) {
      deliverStdinEnd();
    }
    if (streamsByType.keySet().containsAll(expected)) {
      creationTimeout.cancel(false);
      launch();
    }
  }

  private void data(SpdyDataFrame frame) {
    String type = typesByStream.get(frame.streamId());
    if ("stdin".equals(type)) {
      if (frame.content().isReadable()) {
        deliverStdin(frame.content().retain());
      }
      if (frame.isLast()) {
        deliverStdinEnd();
      }
    } else if ("resize".equals(type)) {
      deliverResize(frame.content());
    }
  }

  @Override
  protected void writeStdout(ByteBuf data) {
    write("stdout", data);
  }

  @Override
  protected void writeStderr(ByteBuf data) {
    write("stderr", data);
  }

  private void write(String type, ByteBuf data) {
    Integer streamId = streamsByType.get(type);
    if (streamId == null || reset.contains(streamId) || finished) {
      data.release();
      return;
    }
    ctx.writeAndFlush(new DefaultSpdyDataFrame(streamId, data));
  }

  @Override
  protected void finishSession(String statusJson) {
    finished = true;
    fin("stdout");
    fin("stderr");
    Integer errorStream = streamsByType.get("error");
    if (errorStream != null && !reset.contains(errorStream)) {
      ctx.write(new DefaultSpdyDataFrame(errorStream, Unpooled.wrappedBuffer(statusJson.getBytes(StandardCharsets.UTF_8))));
      fin("error");
    }
    fin("stdin");
    fin("resize");
    ctx.flush();
    closeLater();
  }

  private void fin(String type) {
    Integer streamId = streamsByType.get(type);
    if (streamId != null && !reset.contains(streamId)) {
      DefaultSpdyDataFrame frame = new DefaultSpdyDataFrame(streamId);
      frame.setLast(true);
      ctx.write(frame);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (creationTimeout != null) {
      creationTimeout.cancel(false);
    }
    super.channelInactive(ctx);
  }
}
