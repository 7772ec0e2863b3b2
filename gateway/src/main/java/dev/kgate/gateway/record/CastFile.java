package dev.kgate.gateway.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recording's file, written off the event loop: lines are queued in memory by the loop and
 * appended by the recordings' writer thread in batches, so a slow disk never slows a session. The
 * file is created new (never opened if it exists, so no link is followed), readable by the gateway
 * user alone (0600, its directories 0700), and flushed to disk when the session ends. A write error
 * ends the recording with a log line; the session goes on.
 */
final class CastFile {

  private static final Logger log = LoggerFactory.getLogger(CastFile.class);

  /** Queued bytes at most before the loop gives up on a writer that cannot keep up. */
  static final int MAX_PENDING = 1 << 20;

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private final Path file;
  private final Executor writer;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean scheduled;
  private boolean closing;
  private boolean failed;
  private FileChannel channel;

  CastFile(Path file, Executor writer) {
    this.file = Objects.requireNonNull(file, "file");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  /** Queues a line; false when the writer has fallen {@link #MAX_PENDING} bytes behind (the line is still queued). */
  synchronized boolean append(byte[] line) {
    pending.write(line, 0, line.length);
    schedule();
    return pending.size() <= MAX_PENDING;
  }

  /** Writes what is queued, then flushes and closes the file. */
  synchronized void close() {
    closing = true;
    schedule();
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      try {
        writer.execute(this::drain);
      } catch (RejectedExecutionException e) {
        scheduled = false; // the gateway is closing: what is queued is lost with the writer
      }
    }
  }

  private void drain() {
    byte[] chunk;
    boolean close;
    synchronized (this) {
      chunk = pending.toByteArray();
      pending.reset();
      scheduled = false;
      close = closing;
    }
    if (failed) {
      return;
    }
    try {
      if (channel == null) {
        channel = open(file);
      }
      ByteBuffer buffer = ByteBuffer.wrap(chunk);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      if (close) {
        channel.force(false);
        channel.close();
        failed = true; // nothing more is written
      }
    } catch (IOException e) {
      failed = true;
      log.warn("session recording {} stopped: {}", file, e.toString());
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // already failing
      }
    }
  }

  private static FileChannel open(Path file) throws IOException {
    if (POSIX) {
      FileAttribute<?> dirMode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      Files.createDirectories(file.getParent(), dirMode);
      return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.createDirectories(file.getParent());
    return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }
}
