package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The life cycle every simulated process shares: exit at most once, stop timers when killed, drop
 * standard input unless the process reads it, and die with 130 on Ctrl-C, as a shell reports a
 * process killed by SIGINT.
 */
public abstract class AbstractProcess implements SimProcess {

  /** Exit status of a process killed by SIGINT (128 + 2). */
  public static final int INTERRUPTED = 130;

  protected final ProcessContext context;
  protected final ProcessIo io;
  private final List<ScheduledFuture<?>> timers = new ArrayList<>();
  private boolean done;

  protected AbstractProcess(ProcessContext context, ProcessIo io) {
    this.context = Objects.requireNonNull(context, "context");
    this.io = Objects.requireNonNull(io, "io");
  }

  @Override
  public void stdin(ByteBuf data) {
    data.release();
  }

  @Override
  public void stdinClosed() {}

  @Override
  public void interrupt() {
    finish(INTERRUPTED);
  }

  @Override
  public final void kill() {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    onKilled();
  }

  /** Releases what the process holds when its session goes away. */
  protected void onKilled() {}

  protected final boolean isDone() {
    return done;
  }

  /** Exits with {@code code}; later calls are ignored. */
  protected final void finish(int code) {
    if (done) {
      return;
    }
    done = true;
    cancelTimers();
    onFinished();
    io.exit(code);
  }

  /** Releases what the process holds when it exits on its own. */
  protected void onFinished() {}

  protected final void out(String text) {
    if (!done) {
      io.stdout(ByteBufUtil.writeUtf8(io.alloc(), text));
    }
  }

  protected final void err(String text) {
    if (!done) {
      io.stderr(ByteBufUtil.writeUtf8(io.alloc(), text));
    }
  }

  /** Runs {@code task} later on the event loop unless the process has ended by then. */
  protected final void schedule(Runnable task, long delay, TimeUnit unit) {
    timers.removeIf(ScheduledFuture::isDone);
    timers.add(io.executor().schedule(() -> {
      if (!done) {
        task.run();
      }
    }, delay, unit));
  }

  private void cancelTimers() {
    timers.forEach(timer -> timer.cancel(false));
    timers.clear();
  }
}
