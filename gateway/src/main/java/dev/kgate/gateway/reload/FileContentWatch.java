package dev.kgate.gateway.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} when the content of a set of files changes, checked by digest on a
 * background thread every {@code interval} and whenever {@link #checkNow} is called (SIGHUP).
 * Content, not file events: Kubernetes updates mounted ConfigMaps and Secrets by swapping a
 * symlink, which file watchers report unreliably, and cert-manager may rewrite a file with the same
 * timestamp. While any file cannot be read (mid-swap) nothing happens; the next look decides.
 */
public final class FileContentWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FileContentWatch.class);

  private final String what;
  private final List<Path> files;
  private final Runnable onChange;
  private final ScheduledFuture<?> task;
  private byte[] seen;

  private FileContentWatch(String what, List<Path> files, Runnable onChange, ScheduledExecutorService scheduler,
      Duration interval) {
    this.what = what;
    this.files = files;
    this.onChange = onChange;
    this.seen = digest();
    long millis = interval.toMillis();
    this.task = scheduler.scheduleWithFixedDelay(this::checkNow, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Watches {@code files} (whose current content the caller has already applied).
   *
   * @param what names the files in log lines, e.g. "policy"
   */
  public static FileContentWatch start(String what, List<Path> files, Runnable onChange,
      ScheduledExecutorService scheduler, Duration interval) {
    return new FileContentWatch(Objects.requireNonNull(what, "what"), List.copyOf(files),
        Objects.requireNonNull(onChange, "onChange"), Objects.requireNonNull(scheduler, "scheduler"),
        Objects.requireNonNull(interval, "interval"));
  }

  /** Looks once, now; runs {@code onChange} when the content differs from the last look. */
  public synchronized void checkNow() {
    byte[] current = digest();
    if (current == null || MessageDigest.isEqual(current, seen)) {
      return;
    }
    seen = current;
    try {
      onChange.run();
    } catch (RuntimeException e) {
      log.error("applying the changed {} failed; what was in force stays: {}", what, e.toString());
    }
  }

  private byte[] digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path file : files) {
        sha.update(Files.readAllBytes(file));
        sha.update((byte) 0);
      }
      return sha.digest();
    } catch (IOException e) {
      log.warn("cannot read the {} files {}: {}", what, files, e.toString());
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
