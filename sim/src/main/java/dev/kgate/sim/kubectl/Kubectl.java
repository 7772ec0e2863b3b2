package dev.kgate.sim.kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code kubectl} as a user would, for end-to-end tests: with a given kubeconfig,
 * {@code HOME} and {@code KUBECACHEDIR} in a directory of the test's own (so no personal config
 * or discovery cache leaks in), extra environment variables (e.g. {@code DISABLE_HTTP2=1}), and a
 * timeout on every process.
 *
 * <pre>{@code
 * Kubectl kubectl = Kubectl.builder().kubeconfig(dir.resolve("config")).home(dir).build();
 * KubectlResult r = kubectl.run("get", "pods", "-n", "payments");
 * try (KubectlProcess watch = kubectl.start("get", "pods", "-w")) { watch.awaitLine(l -> …, d); }
 * }</pre>
 */
public final class Kubectl {

  /** Variables that would make kubectl read something other than what the test set up. */
  private static final Set<String> SCRUBBED =
      Set.of("KUBECONFIG", "KUBECACHEDIR", "HOME", "DISABLE_HTTP2", "KUBECTL_EXTERNAL_DIFF", "KUBE_EDITOR");

  private final String executable;
  private final Path kubeconfig;
  private final Path home;
  private final Map<String, String> env;
  private final Duration timeout;

  private Kubectl(Builder b) {
    this.executable = b.executable;
    this.kubeconfig = b.kubeconfig;
    this.home = b.home;
    this.env = Map.copyOf(b.env);
    this.timeout = b.timeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A copy of this kubectl with one more environment variable. */
  public Kubectl withEnv(String name, String value) {
    Builder b = toBuilder();
    b.env(name, value);
    return b.build();
  }

  /** Runs kubectl to completion (or the timeout) with no standard input. */
  public KubectlResult run(String... args) {
    return runWithInput(null, args);
  }

  /** Runs kubectl to completion (or the timeout), feeding {@code stdin} if not null. */
  public KubectlResult runWithInput(String stdin, String... args) {
    KubectlProcess process = launch(args);
    if (stdin != null) {
      process.writeStdin(stdin);
    }
    process.closeStdin();
    return process.awaitExit(timeout);
  }

  /** Starts a long-running kubectl; the caller stops it (try-with-resources). */
  public KubectlProcess start(String... args) {
    KubectlProcess process = launch(args);
    // Guard: a process left running is killed at the timeout, like a run.
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (process.isAlive()) {
        process.markTimedOut();
        process.stop();
      }
    });
    return process;
  }

  private KubectlProcess launch(String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> environment = pb.environment();
    SCRUBBED.forEach(environment::remove);
    environment.put("HOME", home.toString());
    environment.put("KUBECACHEDIR", home.resolve(".kube").resolve("cache").toString());
    if (kubeconfig != null) {
      environment.put("KUBECONFIG", kubeconfig.toString());
    }
    environment.putAll(env);
    try {
      Files.createDirectories(home);
      return new KubectlProcess(command, pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
  }

  private Builder toBuilder() {
    Builder b = new Builder().executable(executable).home(home).timeout(timeout);
    if (kubeconfig != null) {
      b.kubeconfig(kubeconfig);
    }
    env.forEach(b::env);
    return b;
  }

  /** Options for {@link Kubectl}; {@link #home(Path)} is required. */
  public static final class Builder {
    private String executable = "kubectl";
    private Path kubeconfig;
    private Path home;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = Duration.ofSeconds(60);

    private Builder() {}

    /** The kubectl binary; default {@code kubectl} from PATH. */
    public Builder executable(String executable) {
      this.executable = Objects.requireNonNull(executable, "executable");
      return this;
    }

    /** The kubeconfig file (sets {@code KUBECONFIG}). */
    public Builder kubeconfig(Path kubeconfig) {
      this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
      return this;
    }

    /** A directory of the test's own: {@code HOME}, working directory, and the discovery cache below it. */
    public Builder home(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      return this;
    }

    /** An extra environment variable, e.g. {@code DISABLE_HTTP2=1}. */
    public Builder env(String name, String value) {
      env.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** How long any one kubectl may run; default 60 s. */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    public Kubectl build() {
      if (home == null) {
        throw new IllegalStateException("Kubectl needs home(dir): HOME and KUBECACHEDIR must not be the user's");
      }
      return new Kubectl(this);
    }
  }
}
