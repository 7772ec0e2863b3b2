package dev.kgate.sim.stream.container;

import dev.kgate.sim.stream.container.ShellSyntax.RedirectKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * One running shell pipeline: each command's standard output feeds the next command's standard
 * input, the last writes to the shell's output, and the pipeline's status is the last command's.
 * Redirections to and from files of the in-memory filesystem are applied per command; an output
 * file is written when its command exits.
 */
final class PipelineRun {

  /** A command ready to run: expanded words, extra environment and redirections. */
  record CommandSpec(List<String> argv, Map<String, String> extraEnv, List<ResolvedRedirect> redirects) {}

  /** A redirection whose target word has been expanded (null for {@code 2>&1}). */
  record ResolvedRedirect(RedirectKind kind, String target) {}

  private static final String DEV_NULL = "/dev/null";
  private static final int FILE_MODE = 0644;

  private final ProcessContext context;
  private final ProcessIo io;
  private final IntConsumer onExit;
  private final List<Stage> stages = new ArrayList<>();
  private int running;
  private int lastCode;
  private boolean over;

  PipelineRun(List<CommandSpec> specs, ProcessContext context, ProcessIo io, IntConsumer onExit) {
    this.context = Objects.requireNonNull(context, "context");
    this.io = Objects.requireNonNull(io, "io");
    this.onExit = Objects.requireNonNull(onExit, "onExit");
    for (int i = 0; i < specs.size(); i++) {
      stages.add(new Stage(i, specs.get(i)));
    }
    running = stages.size();
  }

  void start() {
    for (Stage stage : stages) {
      stage.prepare();
    }
    // Readers start before their writers, so nothing is written into a process not yet started.
    for (int i = stages.size() - 1; i >= 0 && !over; i--) {
      stages.get(i).start();
    }
  }

  boolean readsStdin() {
    Stage first = stages.get(0);
    return !over && first.process != null && !first.exited && first.input == null
        && first.process.readsStdin();
  }

  void stdin(ByteBuf data) {
    Stage first = stages.get(0);
    if (over || first.process == null || first.exited || first.input != null) {
      data.release();
      return;
    }
    first.process.stdin(data);
  }

  void stdinClosed() {
    Stage first = stages.get(0);
    if (!over && first.process != null && !first.exited && first.input == null) {
      first.process.stdinClosed();
    }
  }

  void interrupt() {
    for (Stage stage : List.copyOf(stages)) {
      if (!over && stage.process != null && !stage.exited) {
        stage.process.interrupt();
      }
    }
  }

  void kill() {
    over = true;
    for (Stage stage : stages) {
      if (stage.process != null && !stage.exited) {
        stage.process.kill();
      }
    }
  }

  private final class Stage implements ProcessIo {
    private final int index;
    private final CommandSpec spec;
    private SimProcess process;
    private boolean exited;
    private String failure;
    private byte[] input;
    private String stdoutFile;
    private String stderrFile;
    private boolean stderrToStdout;
    private final ByteArrayOutputStream stdoutCapture = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderrCapture = new ByteArrayOutputStream();

    Stage(int index, CommandSpec spec) {
      this.index = index;
      this.spec = spec;
    }

    /** Opens redirections and creates the process; a redirection that fails keeps it from running. */
    void prepare() {
      InMemoryFileSystem fs = context.fs();
      for (ResolvedRedirect redirect : spec.redirects()) {
        if (redirect.kind() == RedirectKind.STDERR_TO_STDOUT) {
          stderrToStdout = true;
          continue;
        }
        String path = context.resolve(redirect.target());
        if (redirect.kind() == RedirectKind.STDIN) {
          Optional<byte[]> content = path.equals(DEV_NULL) ? Optional.of(new byte[0]) : fs.read(path);
          if (content.isEmpty()) {
            failure = "sh: can't open " + redirect.target() + ": no such file\n";
            return;
          }
          input = content.get();
          continue;
        }
        if (!path.equals(DEV_NULL)) {
          if (fs.isDirectory(path)) {
            failure = "sh: can't create " + redirect.target() + ": Is a directory\n";
            return;
          }
          if (!fs.isDirectory(InMemoryFileSystem.parentOf(path))) {
            failure = "sh: can't create " + redirect.target() + ": nonexistent directory\n";
            return;
          }
        }
        boolean append = redirect.kind() == RedirectKind.STDOUT_APPEND || redirect.kind() == RedirectKind.STDERR_APPEND;
        if (redirect.kind() == RedirectKind.STDOUT || redirect.kind() == RedirectKind.STDOUT_APPEND) {
          stdoutFile = path;
          stderrToStdout = false;
        } else {
          stderrFile = path;
        }
        if (!path.equals(DEV_NULL) && !append) {
          // The shell truncates the file when it opens it, before the command runs.
          fs.write(path, new byte[0]);
        }
      }
      Map<String, String> env = new LinkedHashMap<>(context.env());
      env.putAll(spec.extraEnv());
      ProcessContext commandContext = context.withEnv(env);
      process = spec.argv().isEmpty()
          ? new OneShotProcess(List.of(), commandContext, this, Coreutils::succeed)
          : Commands.inShell(spec.argv(), commandContext, this);
    }

    void start() {
      if (failure != null) {
        io.stderr(Unpooled.wrappedBuffer(failure.getBytes(StandardCharsets.UTF_8)));
        exit(1);
        return;
      }
      process.start();
      if (input != null && !exited) {
        process.stdin(Unpooled.wrappedBuffer(input));
        if (!exited) {
          process.stdinClosed();
        }
      }
    }

    @Override
    public EventExecutor executor() {
      return io.executor();
    }

    @Override
    public ByteBufAllocator alloc() {
      return io.alloc();
    }

    @Override
    public void stdout(ByteBuf data) {
      if (over || exited) {
        data.release();
      } else if (stdoutFile != null) {
        capture(stdoutCapture, stdoutFile, data);
      } else if (index == stages.size() - 1) {
        io.stdout(data);
      } else {
        Stage next = stages.get(index + 1);
        if (next.process == null || next.exited || next.input != null) {
          data.release();
        } else {
          next.process.stdin(data);
        }
      }
    }

    @Override
    public void stderr(ByteBuf data) {
      if (over || exited) {
        data.release();
      } else if (stderrToStdout) {
        stdout(data);
      } else if (stderrFile != null) {
        capture(stderrCapture, stderrFile, data);
      } else {
        io.stderr(data);
      }
    }

    private void capture(ByteArrayOutputStream capture, String path, ByteBuf data) {
      try {
        if (!path.equals(DEV_NULL)) {
          byte[] bytes = new byte[data.readableBytes()];
          data.readBytes(bytes);
          capture.writeBytes(bytes);
        }
      } finally {
        data.release();
      }
    }

    @Override
    public boolean writable() {
      return io.writable();
    }

    @Override
    public void onWritable(Runnable task) {
      io.onWritable(task);
    }

    @Override
    public void exit(int code) {
      if (exited || over) {
        return;
      }
      exited = true;
      flush(stdoutFile, stdoutCapture);
      flush(stderrFile, stderrCapture);
      if (index < stages.size() - 1) {
        Stage next = stages.get(index + 1);
        if (next.process != null && !next.exited && next.input == null) {
          next.process.stdinClosed();
        }
      }
      if (index == stages.size() - 1) {
        lastCode = code;
      }
      running--;
      if (running == 0 && !over) {
        over = true;
        onExit.accept(lastCode);
      }
    }

    /** Appends what the command wrote; the file was created (or truncated) when it was opened. */
    private void flush(String path, ByteArrayOutputStream capture) {
      if (path != null && !path.equals(DEV_NULL)) {
        context.fs().write(path, capture.toByteArray(), true, FILE_MODE);
      }
    }
  }
}
