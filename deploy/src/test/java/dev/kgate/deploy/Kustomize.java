package dev.kgate.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real {@code kubectl kustomize}, exactly what an operator runs, so
 * the tests judge the objects that would reach the cluster rather than our reading of the source
 * files. The kubectl binary is {@code kubectl} on the PATH unless the system property
 * {@code kgate.kubectl} names another.
 */
final class Kustomize {

  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String kubectl;

  Kustomize(String kubectl) {
    this.kubectl = Objects.requireNonNull(kubectl, "kubectl");
  }

  static Kustomize fromSystemProperties() {
    return new Kustomize(System.getProperty("kgate.kubectl", "kubectl"));
  }

  /** The deploy module's directory: set by Surefire, else the working directory (an IDE run). */
  static Path deployDir() {
    return Path.of(System.getProperty("kgate.deploy.dir", System.getProperty("user.dir"))).toAbsolutePath();
  }

  /** The rendered multi-document YAML; fails with kubectl's own message when it does not render. */
  String render(Path kustomization) {
    Objects.requireNonNull(kustomization, "kustomization");
    Path out = null;
    Path err = null;
    try {
      // Files, not pipes: a process that fills an unread pipe would hang until the timeout.
      out = Files.createTempFile("kustomize", ".yaml");
      err = Files.createTempFile("kustomize", ".err");
      Process process = new ProcessBuilder(List.of(kubectl, "kustomize", kustomization.toString()))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("kubectl kustomize " + kustomization + " did not finish within " + TIMEOUT);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError("kubectl kustomize " + kustomization + " failed (exit " + process.exitValue() + "): "
            + Files.readString(err, StandardCharsets.UTF_8).strip());
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run '" + kubectl + " kustomize' (is kubectl on the PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while rendering " + kustomization, e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A leftover temp file is not worth failing a test over.
    }
  }
}
