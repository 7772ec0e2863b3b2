package dev.kgate.audit.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a chain file line by line as raw bytes, because hashes are over exact bytes. A last line
 * without a newline is returned with {@code terminated == false}: it is torn, or still being
 * written.
 */
public final class LineReader implements AutoCloseable {

  /** One line: its bytes without the newline, whether a newline ended it, where it started. */
  public record Line(byte[] bytes, boolean terminated, long offset) {}

  private final InputStream in;
  private final byte[] chunk = new byte[64 * 1024];
  private int chunkStart;
  private int chunkEnd;
  private long position;
  private byte[] line = new byte[2048];

  public LineReader(InputStream in) {
    this.in = in;
  }

  /** A reader over a file. */
  public static LineReader open(Path file) throws IOException {
    return new LineReader(Files.newInputStream(file));
  }

  /** The next line, or null at the end. */
  public Line next() throws IOException {
    long start = position;
    int length = 0;
    while (true) {
      if (chunkStart == chunkEnd) {
        int read = in.read(chunk);
        if (read <= 0) {
          return length == 0 ? null : new Line(Arrays.copyOf(line, length), false, start);
        }
        chunkStart = 0;
        chunkEnd = read;
      }
      int newline = -1;
      for (int i = chunkStart; i < chunkEnd; i++) {
        if (chunk[i] == '\n') {
          newline = i;
          break;
        }
      }
      int end = newline < 0 ? chunkEnd : newline;
      int count = end - chunkStart;
      if (length + count > line.length) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
      }
      System.arraycopy(chunk, chunkStart, line, length, count);
      length += count;
      position += count;
      if (newline >= 0) {
        chunkStart = newline + 1;
        position++;
        return new Line(Arrays.copyOf(line, length), true, start);
      }
      chunkStart = chunkEnd;
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
