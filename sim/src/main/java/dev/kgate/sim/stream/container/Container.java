package dev.kgate.sim.stream.container;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One simulated container: its filesystem (kept across exec sessions), host name, environment and
 * clock, and the two ways to reach a process in it, exec (start a command) and attach (join the
 * main process). With a TTY the process sits behind a {@link Terminal}.
 */
public final class Container {

  private static final List<String> DIRECTORIES = List.of(
      "/bin", "/dev", "/etc", "/home", "/proc", "/root", "/tmp", "/usr", "/usr/bin", "/usr/local",
      "/usr/local/bin", "/var", "/var/log", "/app");

  private final String namespace;
  private final String pod;
  private final Clock clock;
  private final InMemoryFileSystem fileSystem;

  public Container(String namespace, String pod, Clock clock) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
    this.pod = Objects.requireNonNull(pod, "pod");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fileSystem = new InMemoryFileSystem(clock);
    DIRECTORIES.forEach(directory -> fileSystem.mkdir(directory, true));
    fileSystem.write("/etc/hostname", (pod + "\n").getBytes(StandardCharsets.UTF_8));
    fileSystem.write("/etc/hosts", ("127.0.0.1\tlocalhost\n10.244.0.10\t" + pod + "\n")
        .getBytes(StandardCharsets.UTF_8));
    fileSystem.write("/etc/os-release", "NAME=\"kgate simulated container\"\nID=kgate-sim\n"
        .getBytes(StandardCharsets.UTF_8));
    fileSystem.write("/app/README", ("This is pod " + namespace + "/" + pod + " in a kgate simulated cluster.\n")
        .getBytes(StandardCharsets.UTF_8));
  }

  public String namespace() {
    return namespace;
  }

  public String pod() {
    return pod;
  }

  public Clock clock() {
    return clock;
  }

  public InMemoryFileSystem fileSystem() {
    return fileSystem;
  }

  /** Starts {@code argv} (non-empty) as an exec would; call {@link SimProcess#start()} to run it. */
  public SimProcess exec(List<String> argv, boolean tty, ProcessIo io) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv must not be empty");
    }
    ProcessContext context = new ProcessContext(this, "/", environment(tty), tty);
    if (!tty) {
      return Commands.topLevel(List.copyOf(argv), context, io);
    }
    Terminal terminal = new Terminal(io);
    terminal.attach(Commands.topLevel(List.copyOf(argv), context, terminal));
    return terminal;
  }

  /** Joins the main process; {@code tickInterval} zero means it prints nothing by itself. */
  public SimProcess attach(boolean tty, ProcessIo io, Duration tickInterval) {
    ProcessContext context = new ProcessContext(this, "/", environment(tty), tty);
    if (!tty) {
      return new MainProcess(context, io, tickInterval);
    }
    Terminal terminal = new Terminal(io);
    terminal.attach(new MainProcess(context, terminal, tickInterval));
    return terminal;
  }

  private Map<String, String> environment(boolean tty) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", pod);
    env.put("HOME", "/root");
    env.put("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    env.put("KUBERNETES_SERVICE_PORT", "443");
    env.put("POD_NAMESPACE", namespace);
    if (tty) {
      env.put("TERM", "xterm");
    }
    return env;
  }
}
