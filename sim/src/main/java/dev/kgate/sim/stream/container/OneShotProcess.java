package dev.kgate.sim.stream.container;

import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Objects;

/**
 * A command that ignores standard input, computes its whole output at start, writes it (standard
 * error first, then standard output, pumped with backpressure) and exits.
 */
final class OneShotProcess extends AbstractProcess {

  /** The body of a one-shot command: prints into {@code output} and returns the exit code. */
  @FunctionalInterface
  interface Body {
    int run(List<String> args, ProcessContext context, CommandOutput output);
  }

  private final List<String> args;
  private final Body body;

  OneShotProcess(List<String> args, ProcessContext context, ProcessIo io, Body body) {
    super(context, io);
    this.args = List.copyOf(args);
    this.body = Objects.requireNonNull(body, "body");
  }

  @Override
  public void start() {
    CommandOutput output = new CommandOutput();
    int code = body.run(args, context, output);
    byte[] stderr = output.stderrBytes();
    if (stderr.length > 0) {
      io.stderr(Unpooled.wrappedBuffer(stderr));
    }
    new OutputPump(io, output.stdoutBytes(), this::isDone, () -> finish(code)).run();
  }
}
