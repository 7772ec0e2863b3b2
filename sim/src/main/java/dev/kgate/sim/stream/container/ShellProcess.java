package dev.kgate.sim.stream.container;

import dev.kgate.sim.stream.container.ExitProcess.ExitCode;
import dev.kgate.sim.stream.container.PipelineRun.CommandSpec;
import dev.kgate.sim.stream.container.ShellSyntax.AndOr;
import dev.kgate.sim.stream.container.ShellSyntax.Command;
import dev.kgate.sim.stream.container.ShellSyntax.Pipeline;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sh}: runs {@code -c SCRIPT}, a script file, or lines read from standard input; with a
 * terminal it prompts, so {@code kubectl exec -it POD -- sh} is a usable shell. Builtins that
 * change the shell itself ({@code cd}, {@code exit}, {@code export}, assignments) run here; every
 * other command runs as a {@link PipelineRun}. While a command that reads its input runs, input
 * goes to it; otherwise typed-ahead lines wait for the prompt, as with a real terminal.
 */
final class ShellProcess extends AbstractProcess {

  private final List<String> args;
  private final Map<String, String> env;
  private final Deque<AndOr> queue = new ArrayDeque<>();
  private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream();
  private List<String> positional = List.of("sh");
  private boolean readingStdin;
  private String cwd;
  private int lastStatus;
  private AndOr currentList;
  private int pipelineIndex;
  private PipelineRun running;
  private boolean stdinEnded;
  private boolean promptShown;
  private boolean driving;
  private boolean driveAgain;

  ShellProcess(List<String> args, ProcessContext context, ProcessIo io) {
    super(context, io);
    this.args = List.copyOf(args);
    this.env = new LinkedHashMap<>(context.env());
    this.cwd = context.cwd();
  }

  @Override
  public void start() {
    int i = 0;
    boolean commandString = false;
    while (i < args.size() && args.get(i).startsWith("-") && args.get(i).length() > 1 && !args.get(i).equals("--")) {
      commandString |= args.get(i).indexOf('c') > 0;
      i++;
    }
    if (i < args.size() && args.get(i).equals("--")) {
      i++;
    }
    String script;
    if (commandString) {
      if (i >= args.size()) {
        err("sh: -c requires an argument\n");
        finish(2);
        return;
      }
      script = args.get(i);
      positional = args.size() > i + 1 ? List.copyOf(args.subList(i + 1, args.size())) : List.of("sh");
    } else if (i < args.size()) {
      String file = args.get(i);
      Optional<byte[]> content = context.fs().read(InMemoryFileSystem.resolve(cwd, file));
      if (content.isEmpty()) {
        err("sh: can't open '" + file + "': No such file or directory\n");
        finish(2);
        return;
      }
      script = new String(content.get(), StandardCharsets.UTF_8);
      positional = List.copyOf(args.subList(i, args.size()));
    } else {
      readingStdin = true;
      drive();
      return;
    }
    ShellSyntax.Parsed parsed = ShellSyntax.parse(script);
    if (parsed.script().isEmpty()) {
      err("sh: " + parsed.error() + "\n");
      finish(2);
      return;
    }
    queue.addAll(parsed.script().get().lists());
    drive();
  }

  @Override
  public boolean readsStdin() {
    return !isDone() && (readingStdin || (running != null && running.readsStdin()));
  }

  @Override
  public void stdin(ByteBuf data) {
    if (isDone()) {
      data.release();
    } else if (running != null && (running.readsStdin() || !readingStdin)) {
      running.stdin(data);
    } else if (readingStdin) {
      try {
        byte[] bytes = new byte[data.readableBytes()];
        data.readBytes(bytes);
        lineBuffer.writeBytes(bytes);
      } finally {
        data.release();
      }
      drive();
    } else {
      data.release();
    }
  }

  @Override
  public void stdinClosed() {
    if (isDone()) {
      return;
    }
    // On a terminal Ctrl-D ends the input of the command reading it, not the terminal itself.
    if (!(context.tty() && readingStdin && running != null)) {
      stdinEnded = true;
    }
    if (running != null) {
      running.stdinClosed();
    }
    drive();
  }

  @Override
  public void interrupt() {
    if (isDone()) {
      return;
    }
    if (!(readingStdin && context.tty())) {
      finish(INTERRUPTED);
      return;
    }
    // Ctrl-C at an interactive prompt abandons the current line and what was typed ahead.
    queue.clear();
    currentList = null;
    lineBuffer.reset();
    if (running != null) {
      running.interrupt();
    } else {
      lastStatus = INTERRUPTED;
      promptShown = false;
      drive();
    }
  }

  @Override
  protected void onKilled() {
    if (running != null) {
      running.kill();
      running = null;
    }
  }

  /** Runs steps until the shell waits for a command or for input; re-entrant calls just loop again. */
  private void drive() {
    if (driving) {
      driveAgain = true;
      return;
    }
    driving = true;
    try {
      boolean again;
      do {
        driveAgain = false;
        again = step();
      } while ((again || driveAgain) && !isDone());
    } finally {
      driving = false;
    }
  }

  /** Advances the shell by one step; returns whether there may be more to do right away. */
  private boolean step() {
    if (isDone() || running != null) {
      return false;
    }
    if (currentList != null) {
      if (pipelineIndex < currentList.pipelines().size()) {
        if (pipelineIndex > 0) {
          String operator = currentList.operators().get(pipelineIndex - 1);
          if (operator.equals("&&") != (lastStatus == 0)) {
            pipelineIndex++;
            return true;
          }
        }
        run(currentList.pipelines().get(pipelineIndex));
        return true;
      }
      currentList = null;
    }
    AndOr next = queue.poll();
    if (next != null) {
      currentList = next;
      pipelineIndex = 0;
      return true;
    }
    if (!readingStdin) {
      finish(lastStatus);
      return false;
    }
    Optional<String> line = takeLine();
    if (line.isPresent()) {
      promptShown = false;
      enqueue(line.get());
      return true;
    }
    if (stdinEnded) {
      String rest = new String(lineBuffer.toByteArray(), StandardCharsets.UTF_8);
      lineBuffer.reset();
      if (!rest.isBlank()) {
        enqueue(rest);
        return true;
      }
      if (context.tty()) {
        out("exit\n");
      }
      finish(lastStatus);
      return false;
    }
    if (context.tty() && !promptShown) {
      promptShown = true;
      out(cwd + " # ");
    }
    return false;
  }

  private Optional<String> takeLine() {
    byte[] bytes = lineBuffer.toByteArray();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lineBuffer.reset();
        lineBuffer.write(bytes, i + 1, bytes.length - i - 1);
        return Optional.of(new String(bytes, 0, i, StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  private void enqueue(String line) {
    ShellSyntax.Parsed parsed = ShellSyntax.parse(line);
    if (parsed.script().isEmpty()) {
      err("sh: " + parsed.error() + "\n");
      lastStatus = 2;
      return;
    }
    queue.addAll(parsed.script().get().lists());
  }

  private void run(Pipeline pipeline) {
    List<CommandSpec> specs = new ArrayList<>();
    for (Command command : pipeline.commands()) {
      specs.add(WordExpansion.expand(command, this::lookup));
    }
    if (specs.size() == 1 && runBuiltin(specs.get(0))) {
      return;
    }
    ProcessContext commandContext = context.withCwd(cwd).withEnv(env);
    PipelineRun run = new PipelineRun(specs, commandContext, io, this::pipelineExited);
    running = run;
    run.start();
    if (stdinEnded && running == run) {
      run.stdinClosed();
    }
  }

  private void pipelineExited(int code) {
    running = null;
    lastStatus = code;
    pipelineIndex++;
    drive();
  }

  /** Runs {@code cd}, {@code exit}, {@code export}, {@code unset} and bare assignments in the shell. */
  private boolean runBuiltin(CommandSpec spec) {
    List<String> argv = spec.argv();
    if (argv.isEmpty()) {
      if (!spec.extraEnv().isEmpty() && spec.redirects().isEmpty()) {
        env.putAll(spec.extraEnv());
        builtinDone(0);
        return true;
      }
      return false;
    }
    List<String> rest = argv.subList(1, argv.size());
    switch (argv.get(0)) {
      case "cd": {
        String target = rest.isEmpty() ? env.getOrDefault("HOME", "/") : rest.get(0);
        String resolved = InMemoryFileSystem.resolve(cwd, target);
        if (context.fs().isDirectory(resolved)) {
          cwd = resolved;
          env.put("PWD", cwd);
          builtinDone(0);
        } else {
          err("sh: cd: can't cd to " + target + ": No such file or directory\n");
          builtinDone(2);
        }
        return true;
      }
      case "exit": {
        ExitCode code = ExitCode.parse(rest, lastStatus);
        if (code.error() != null) {
          err(code.error());
        }
        finish(code.value());
        return true;
      }
      case "export":
        for (String arg : rest) {
          int equals = arg.indexOf('=');
          if (equals > 0) {
            env.put(arg.substring(0, equals), arg.substring(equals + 1));
          }
        }
        builtinDone(0);
        return true;
      case "unset":
        rest.forEach(env::remove);
        builtinDone(0);
        return true;
      default:
        return false;
    }
  }

  private void builtinDone(int code) {
    lastStatus = code;
    pipelineIndex++;
  }

  /** The value of {@code $name} now: status, positional parameter, or environment. */
  private String lookup(String name) {
    if (name.equals("?")) {
      return Integer.toString(lastStatus);
    }
    if (name.length() == 1 && Character.isDigit(name.charAt(0))) {
      int index = name.charAt(0) - '0';
      return index < positional.size() ? positional.get(index) : "";
    }
    if (name.equals("PWD")) {
      return cwd;
    }
    return env.getOrDefault(name, "");
  }
}
