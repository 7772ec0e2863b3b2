package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.util.Objects;

/**
 * The pseudo-terminal between a {@code tty=true} session and its process. kubectl puts the local
 * terminal in raw mode and sends keystrokes, so, as a Linux pty in its default cooked mode, this
 * echoes what is typed, edits the line (backspace, Ctrl-U), hands whole lines to the process, turns
 * Ctrl-C into an interrupt and Ctrl-D into end of input, and on output turns {@code \n} into
 * {@code \r\n}. Standard error shares the terminal with standard output, which is why kubectl opens
 * no stderr stream for a TTY.
 */
final class Terminal implements ProcessIo, SimProcess {

  private static final byte CTRL_C = 0x03;
  private static final byte CTRL_D = 0x04;
  private static final byte BACKSPACE = 0x08;
  private static final byte CTRL_U = 0x15;
  private static final byte ESC = 0x1b;
  private static final byte DELETE = 0x7f;

  private final ProcessIo session;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private SimProcess process;
  private int escapeState;

  Terminal(ProcessIo session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  void attach(SimProcess foreground) {
    this.process = Objects.requireNonNull(foreground, "foreground");
  }

  // Process side: what the process writes goes to the client's screen.

  @Override
  public EventExecutor executor() {
    return session.executor();
  }

  @Override
  public ByteBufAllocator alloc() {
    return session.alloc();
  }

  @Override
  public void stdout(ByteBuf data) {
    session.stdout(translateNewlines(data));
  }

  @Override
  public void stderr(ByteBuf data) {
    session.stdout(translateNewlines(data));
  }

  @Override
  public boolean writable() {
    return session.writable();
  }

  @Override
  public void onWritable(Runnable task) {
    session.onWritable(task);
  }

  @Override
  public void exit(int code) {
    session.exit(code);
  }

  // Session side: keystrokes from the client.

  @Override
  public void start() {
    process.start();
  }

  @Override
  public void stdin(ByteBuf data) {
    try {
      ByteArrayOutputStream echo = new ByteArrayOutputStream();
      while (data.isReadable()) {
        byte b = data.readByte();
        if (escapeState > 0) {
          skipEscapeSequence(b);
          continue;
        }
        switch (b) {
          case '\r':
          case '\n':
            echo.write('\r');
            echo.write('\n');
            line.write('\n');
            flushEcho(echo);
            deliverLine();
            break;
          case DELETE:
          case BACKSPACE:
            if (eraseLastCharacter()) {
              echo.writeBytes(new byte[] {'\b', ' ', '\b'});
            }
            break;
          case CTRL_U:
            while (eraseLastCharacter()) {
              echo.writeBytes(new byte[] {'\b', ' ', '\b'});
            }
            break;
          case CTRL_C:
            echo.writeBytes(new byte[] {'^', 'C', '\r', '\n'});
            line.reset();
            flushEcho(echo);
            process.interrupt();
            break;
          case CTRL_D:
            flushEcho(echo);
            if (line.size() == 0) {
              process.stdinClosed();
            } else {
              deliverLine();
            }
            break;
          case ESC:
            escapeState = 1;
            break;
          default:
            if ((b & 0xff) >= 0x20 || b == '\t') {
              line.write(b);
              echo.write(b);
            }
        }
      }
      flushEcho(echo);
    } finally {
      data.release();
    }
  }

  @Override
  public void stdinClosed() {
    process.stdinClosed();
  }

  @Override
  public void interrupt() {
    process.interrupt();
  }

  @Override
  public void kill() {
    process.kill();
  }

  @Override
  public void resize(int columns, int rows) {
    process.resize(columns, rows);
  }

  @Override
  public boolean readsStdin() {
    return true;
  }

  /** Arrow keys and the like arrive as ESC [ ... letter; the simple line editor ignores them. */
  private void skipEscapeSequence(byte b) {
    if (escapeState == 1) {
      escapeState = b == '[' || b == 'O' ? 2 : 0;
    } else if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '~') {
      escapeState = 0;
    }
  }

  private boolean eraseLastCharacter() {
    byte[] bytes = line.toByteArray();
    if (bytes.length == 0) {
      return false;
    }
    int end = bytes.length - 1;
    // Drop a whole UTF-8 sequence: continuation bytes look like 10xxxxxx.
    while (end > 0 && (bytes[end] & 0xc0) == 0x80) {
      end--;
    }
    line.reset();
    line.write(bytes, 0, end);
    return true;
  }

  private void deliverLine() {
    byte[] bytes = line.toByteArray();
    line.reset();
    process.stdin(session.alloc().buffer(bytes.length).writeBytes(bytes));
  }

  private void flushEcho(ByteArrayOutputStream echo) {
    if (echo.size() > 0) {
      byte[] bytes = echo.toByteArray();
      echo.reset();
      session.stdout(session.alloc().buffer(bytes.length).writeBytes(bytes));
    }
  }

  private ByteBuf translateNewlines(ByteBuf data) {
    int newlines = 0;
    for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
      if (data.getByte(i) == '\n') {
        newlines++;
      }
    }
    if (newlines == 0) {
      return data;
    }
    try {
      ByteBuf translated = session.alloc().buffer(data.readableBytes() + newlines);
      while (data.isReadable()) {
        byte b = data.readByte();
        if (b == '\n') {
          translated.writeByte('\r');
        }
        translated.writeByte(b);
      }
      return translated;
    } finally {
      data.release();
    }
  }
}
