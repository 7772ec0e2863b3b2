package dev.kgate.sim.stream.container;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Writes a block of output in chunks, only while the reader keeps up: when the output is not
 * writable it parks itself with {@link ProcessIo#onWritable} instead of queueing everything at
 * once. Used for anything that can be large, such as {@code tar cf} of a copied file.
 */
final class OutputPump {

  static final int CHUNK_SIZE = 32 * 1024;

  private final ProcessIo io;
  private final byte[] data;
  private final BooleanSupplier cancelled;
  private final Runnable whenDone;
  private int offset;

  OutputPump(ProcessIo io, byte[] data, BooleanSupplier cancelled, Runnable whenDone) {
    this.io = Objects.requireNonNull(io, "io");
    this.data = Objects.requireNonNull(data, "data");
    this.cancelled = Objects.requireNonNull(cancelled, "cancelled");
    this.whenDone = Objects.requireNonNull(whenDone, "whenDone");
  }

  void run() {
    while (offset < data.length) {
      if (cancelled.getAsBoolean()) {
        return;
      }
      if (!io.writable()) {
        io.onWritable(this::run);
        return;
      }
      int length = Math.min(CHUNK_SIZE, data.length - offset);
      io.stdout(io.alloc().buffer(length).writeBytes(data, offset, length));
      offset += length;
    }
    if (!cancelled.getAsBoolean()) {
      whenDone.run();
    }
  }
}
