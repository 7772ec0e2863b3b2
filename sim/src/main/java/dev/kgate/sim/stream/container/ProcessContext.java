package dev.kgate.sim.stream.container;

import java.util.Map;
import java.util.Objects;

/**
 * What a process starts with besides its input and output: the container it runs in, its working
 * directory, its environment and whether its standard streams are a terminal.
 */
public record ProcessContext(Container container, String cwd, Map<String, String> env, boolean tty) {

  public ProcessContext {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(cwd, "cwd");
    env = Map.copyOf(env);
  }

  public InMemoryFileSystem fs() {
    return container.fileSystem();
  }

  /** A path argument resolved against the working directory. */
  public String resolve(String path) {
    return InMemoryFileSystem.resolve(cwd, path);
  }

  public ProcessContext withCwd(String newCwd) {
    return new ProcessContext(container, newCwd, env, tty);
  }

  public ProcessContext withEnv(Map<String, String> newEnv) {
    return new ProcessContext(container, cwd, newEnv, tty);
  }
}
