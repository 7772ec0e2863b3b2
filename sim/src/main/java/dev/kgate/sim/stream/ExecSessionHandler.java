package dev.kgate.sim.stream;

import dev.kgate.sim.stream.container.ProcessIo;
import dev.kgate.sim.stream.container.SimProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What exec and attach share across transports: it runs the simulated process, gives it the
 * session's streams as its {@link ProcessIo}, and turns its exit into the Status the client reads
 * last. Backpressure is the channel's writability: while the client is not reading our output we
 * stop reading its input (auto-read off), and producers wait in {@link #onWritable}.
 */
abstract class ExecSessionHandler extends ChannelInboundHandlerAdapter implements ProcessIo {

  private static final Logger LOG = LoggerFactory.getLogger(ExecSessionHandler.class);

  /** How long a finished session waits for the client to hang up before closing itself. */
  static final long LINGER_SECONDS = 5;

  protected final StreamRequest request;
  private final Function<ProcessIo, SimProcess> launcher;
  private final Deque<ByteBuf> earlyStdin = new ArrayDeque<>();
  private final Deque<Runnable> writabilityWaiters = new ArrayDeque<>();
  private final TerminalSizeParser sizes = new TerminalSizeParser(this::resized);
  protected ChannelHandlerContext ctx;
  private SimProcess process;
  private boolean earlyStdinEnded;
  private boolean exited;

  ExecSessionHandler(StreamRequest request, Function<ProcessIo, SimProcess> launcher) {
    this.request = Objects.requireNonNull(request, "request");
    this.launcher = Objects.requireNonNull(launcher, "launcher");
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  /** Writes to the client's stdout stream; ownership of {@code data} passes. */
  protected abstract void writeStdout(ByteBuf data);

  /** Writes to the client's stderr stream; ownership of {@code data} passes. */
  protected abstract void writeStderr(ByteBuf data);

  /** Sends the final status and ends the session. */
  protected abstract void finishSession(String statusJson);

  /** Starts the process once the client's streams are there; input that came early is replayed. */
  protected final void launch() {
    if (process != null || exited || !ctx.channel().isActive()) {
      return;
    }
    process = launcher.apply(this);
    process.start();
    for (ByteBuf data; (data = earlyStdin.poll()) != null; ) {
      deliverStdin(data);
    }
    if (earlyStdinEnded) {
      deliverStdinEnd();
    }
  }

  protected final void deliverStdin(ByteBuf data) {
    if (exited || !request.stdin()) {
      data.release();
    } else if (process == null) {
      earlyStdin.add(data);
    } else {
      process.stdin(data);
    }
  }

  protected final void deliverStdinEnd() {
    if (process == null) {
      earlyStdinEnded = true;
    } else if (!exited) {
      process.stdinClosed();
    }
  }

  /** Consumes resize bytes (does not release them). */
  protected final void deliverResize(ByteBuf data) {
    if (request.tty()) {
      sizes.feed(data);
    }
  }

  private void resized(int columns, int rows) {
    if (process != null && !exited) {
      process.resize(columns, rows);
    }
  }

  /** Closes the channel if the client has not done so after a finished session. */
  protected final void closeLater() {
    ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public final EventExecutor executor() {
    return ctx.executor();
  }

  @Override
  public final ByteBufAllocator alloc() {
    return ctx.alloc();
  }

  @Override
  public final void stdout(ByteBuf data) {
    if (exited || !ctx.channel().isActive()) {
      data.release();
    } else {
      writeStdout(data);
    }
  }

  @Override
  public final void stderr(ByteBuf data) {
    if (exited || !ctx.channel().isActive()) {
      data.release();
    } else {
      writeStderr(data);
    }
  }

  @Override
  public final boolean writable() {
    return ctx.channel().isWritable();
  }

  @Override
  public final void onWritable(Runnable task) {
    if (ctx.channel().isWritable()) {
      ctx.executor().execute(task);
    } else {
      writabilityWaiters.add(task);
    }
  }

  @Override
  public final void exit(int code) {
    if (exited) {
      return;
    }
    exited = true;
    releaseEarlyStdin();
    if (ctx.channel().isActive()) {
      finishSession(KubeStatuses.exitStatus(code, request.command()));
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    ctx.channel().config().setAutoRead(writable);
    if (writable) {
      List<Runnable> ready = new ArrayList<>(writabilityWaiters);
      writabilityWaiters.clear();
      ready.forEach(Runnable::run);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (process != null && !exited) {
      exited = true;
      process.kill();
    }
    exited = true;
    writabilityWaiters.clear();
    releaseEarlyStdin();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseEarlyStdin();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("{} session for {}/{} failed", request.subresource(), request.namespace(), request.pod(), cause);
    ctx.close();
  }

  private void releaseEarlyStdin() {
    for (ByteBuf data; (data = earlyStdin.poll()) != null; ) {
      data.release();
    }
  }
}
