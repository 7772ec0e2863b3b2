package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;

/**
 * A simulated process, driven by events on its {@link ProcessIo#executor()}: it is started once,
 * fed standard input, told when input ends, and eventually reports its exit through its
 * {@link ProcessIo}. {@link #kill()} is for a session that went away: the process stops its timers
 * and reports nothing more.
 */
public interface SimProcess {

  void start();

  /** Standard input; ownership of {@code data} passes to the process. */
  void stdin(ByteBuf data);

  /** Standard input reached its end (on a terminal: Ctrl-D on an empty line). */
  void stdinClosed();

  /** Ctrl-C on the process's terminal. */
  void interrupt();

  /** The session is gone: release what is held and never call back again. */
  void kill();

  /** The client's terminal changed size. */
  default void resize(int columns, int rows) {}

  /**
   * Whether input sent now is for this process; a shell keeps typed-ahead lines for itself while
   * a command that ignores its input (such as {@code sleep}) runs.
   */
  default boolean readsStdin() {
    return false;
  }
}
