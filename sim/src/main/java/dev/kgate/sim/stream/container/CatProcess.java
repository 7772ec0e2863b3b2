package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * {@code cat [FILE|-]...}: copies files and standard input to standard output in order. Standard
 * input is passed through as it arrives, so the session's backpressure (stop reading while the
 * client is not reading) carries straight through.
 */
final class CatProcess extends AbstractProcess {

  private final Deque<String> sources;
  private final Deque<ByteBuf> earlyInput = new ArrayDeque<>();
  private boolean readingStdin;
  private boolean stdinEnded;
  private int code;

  CatProcess(List<String> args, ProcessContext context, ProcessIo io) {
    super(context, io);
    this.sources = new ArrayDeque<>(args.isEmpty() ? List.of("-") : args);
  }

  @Override
  public void start() {
    next();
  }

  @Override
  public boolean readsStdin() {
    return !isDone() && (readingStdin || sources.contains("-"));
  }

  @Override
  public void stdin(ByteBuf data) {
    if (isDone()) {
      data.release();
    } else if (readingStdin) {
      io.stdout(data);
    } else {
      earlyInput.add(data);
    }
  }

  @Override
  public void stdinClosed() {
    stdinEnded = true;
    if (readingStdin) {
      readingStdin = false;
      next();
    }
  }

  @Override
  protected void onKilled() {
    releaseEarlyInput();
  }

  @Override
  protected void onFinished() {
    releaseEarlyInput();
  }

  private void next() {
    while (!isDone()) {
      String source = sources.poll();
      if (source == null) {
        finish(code);
        return;
      }
      if (source.equals("-")) {
        if (stdinEnded) {
          releaseEarlyInput();
          continue;
        }
        readingStdin = true;
        for (ByteBuf data; (data = earlyInput.poll()) != null; ) {
          io.stdout(data);
        }
        return;
      }
      String path = context.resolve(source);
      if (context.fs().isDirectory(path)) {
        err("cat: read error: Is a directory\n");
        code = 1;
        continue;
      }
      Optional<byte[]> content = context.fs().read(path);
      if (content.isEmpty()) {
        err("cat: can't open '" + source + "': No such file or directory\n");
        code = 1;
        continue;
      }
      new OutputPump(io, content.get(), this::isDone, this::next).run();
      return;
    }
  }

  private void releaseEarlyInput() {
    for (ByteBuf data; (data = earlyInput.poll()) != null; ) {
      data.release();
    }
  }
}
