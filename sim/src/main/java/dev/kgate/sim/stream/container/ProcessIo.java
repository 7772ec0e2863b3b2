package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

/**
 * Where a simulated process writes and how it ends: the process side of a session, a pipe or a
 * terminal. All calls happen on {@link #executor()}, the event loop of the session's channel, so a
 * process never needs locks and must never block.
 */
public interface ProcessIo {

  /** The event loop every callback of the process runs on; also its timer. */
  EventExecutor executor();

  ByteBufAllocator alloc();

  /** Writes to standard output, taking ownership of {@code data}. */
  void stdout(ByteBuf data);

  /** Writes to standard error, taking ownership of {@code data}. */
  void stderr(ByteBuf data);

  /** False while the reader is behind; a producer then waits for {@link #onWritable}. */
  boolean writable();

  /** Runs {@code task} once, on the executor, as soon as output is writable (again). */
  void onWritable(Runnable task);

  /** Reports the exit code; the first call wins and output after it is dropped. */
  void exit(int code);
}
