package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs simulated processes on a real event loop with an in-memory {@link ProcessIo}, so commands
 * can be tested without a network session. Output is copied out of Netty buffers as it arrives.
 */
final class ProcessHarness implements ProcessIo, AutoCloseable {

  /** What a finished process printed and returned. */
  record Result(int code, String stdout, String stderr, byte[] stdoutBytes) {}

  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final List<Runnable> waiting = new ArrayList<>();
  private volatile boolean writable = true;
  private SimProcess process;

  /** Runs {@code argv} in {@code container}, feeding {@code stdin} then end of input; waits for the exit. */
  static Result run(Container container, List<String> argv, byte[] stdin, boolean tty) throws Exception {
    try (ProcessHarness harness = new ProcessHarness()) {
      harness.start(container, argv, tty);
      if (stdin != null) {
        harness.send(stdin);
        harness.endInput();
      }
      return harness.await();
    }
  }

  static Result run(Container container, String... argv) throws Exception {
    return run(container, List.of(argv), null, false);
  }

  void start(Container container, List<String> argv, boolean tty) throws Exception {
    onLoop(() -> {
      process = container.exec(argv, tty, this);
      process.start();
    });
  }

  void send(byte[] bytes) throws Exception {
    onLoop(() -> process.stdin(Unpooled.wrappedBuffer(bytes)));
  }

  void send(String text) throws Exception {
    send(text.getBytes(StandardCharsets.UTF_8));
  }

  void endInput() throws Exception {
    onLoop(() -> process.stdinClosed());
  }

  void interrupt() throws Exception {
    onLoop(() -> process.interrupt());
  }

  /** Simulates a slow reader: while false, producers must wait for {@link #onWritable}. */
  void setWritable(boolean value) throws Exception {
    onLoop(() -> {
      writable = value;
      if (value) {
        List<Runnable> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(Runnable::run);
      }
    });
  }

  String stdoutSoFar() throws Exception {
    return loop.submit(() -> stdout.toString(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
  }

  boolean exited() {
    return exit.isDone();
  }

  Result await() throws Exception {
    int code = exit.get(5, TimeUnit.SECONDS);
    return loop.submit(() -> new Result(code, stdout.toString(StandardCharsets.UTF_8),
        stderr.toString(StandardCharsets.UTF_8), stdout.toByteArray())).get(5, TimeUnit.SECONDS);
  }

  private void onLoop(Runnable task) throws Exception {
    loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  @Override
  public EventExecutor executor() {
    return loop;
  }

  @Override
  public ByteBufAllocator alloc() {
    return ByteBufAllocator.DEFAULT;
  }

  @Override
  public void stdout(ByteBuf data) {
    copy(data, stdout);
  }

  @Override
  public void stderr(ByteBuf data) {
    copy(data, stderr);
  }

  private static void copy(ByteBuf data, ByteArrayOutputStream into) {
    try {
      byte[] bytes = new byte[data.readableBytes()];
      data.readBytes(bytes);
      into.writeBytes(bytes);
    } finally {
      data.release();
    }
  }

  @Override
  public boolean writable() {
    return writable;
  }

  @Override
  public void onWritable(Runnable task) {
    if (writable) {
      loop.execute(task);
    } else {
      waiting.add(task);
    }
  }

  @Override
  public void exit(int code) {
    exit.complete(code);
  }

  @Override
  public void close() {
    if (process != null && !exit.isDone()) {
      loop.submit(() -> process.kill()).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
