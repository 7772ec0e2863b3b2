package dev.kgate.audit.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/** Lines gathered for one file during a commit window, written with one call; writer thread only. */
final class LineBuffer {

  private byte[] bytes = new byte[16 * 1024];
  private int size;

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  void write(byte[] source, int offset, int length) {
    ensure(length);
    System.arraycopy(source, offset, bytes, size, length);
    size += length;
  }

  void write(byte b) {
    ensure(1);
    bytes[size++] = b;
  }

  /** Writes everything at {@code position} of the channel, then empties the buffer. */
  long drainTo(FileChannel channel, long position) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, size);
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
    int written = size;
    clear();
    return written;
  }

  void clear() {
    size = 0;
    // A burst can grow the buffer a lot; do not keep megabytes per idle chain.
    if (bytes.length > 1024 * 1024) {
      bytes = new byte[16 * 1024];
    }
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
    }
  }
}
