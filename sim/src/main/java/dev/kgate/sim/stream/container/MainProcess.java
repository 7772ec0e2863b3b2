package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The container's main process, as {@code kubectl attach} sees it: it echoes back whatever it
 * reads and, if a tick interval is set, prints a numbered line now and then so an attached client
 * has output to watch. It never exits by itself; an attach session ends when the client leaves.
 */
final class MainProcess extends AbstractProcess {

  private final Duration tickInterval;
  private long ticks;

  MainProcess(ProcessContext context, ProcessIo io, Duration tickInterval) {
    super(context, io);
    this.tickInterval = Objects.requireNonNull(tickInterval, "tickInterval");
  }

  @Override
  public void start() {
    scheduleTick();
  }

  @Override
  public boolean readsStdin() {
    return !isDone();
  }

  @Override
  public void stdin(ByteBuf data) {
    if (isDone()) {
      data.release();
    } else {
      io.stdout(data);
    }
  }

  @Override
  public void interrupt() {
    // The simulated application ignores SIGINT; a client detaches by going away.
  }

  private void scheduleTick() {
    if (tickInterval.isZero() || tickInterval.isNegative()) {
      return;
    }
    schedule(() -> {
      ticks++;
      out(context.container().pod() + ": tick " + ticks + "\n");
      scheduleTick();
    }, tickInterval.toNanos(), TimeUnit.NANOSECONDS);
  }
}
