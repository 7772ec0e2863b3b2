package dev.kgate.gateway.authz;

import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the policy file when its content changes and applies a valid new policy atomically; an
 * invalid one is refused with its errors logged and the old policy stays in force. It compares a
 * digest of the content rather than watching for file events: Kubernetes updates a mounted
 * ConfigMap by swapping a symlink, which file watchers report unreliably, and a poll also notices
 * a change made while the watcher was not looking.
 */
public final class PolicyReloader implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

  private final Path file;
  private final AccessPolicy target;
  private final ScheduledFuture<?> task;
  private byte[] applied;

  private PolicyReloader(Path file, AccessPolicy target, ScheduledExecutorService scheduler, Duration interval) {
    this.file = file;
    this.target = target;
    this.applied = digest(read());
    long millis = interval.toMillis();
    this.task = scheduler.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Watches {@code file}, whose current content {@code target} already holds. */
  public static PolicyReloader watch(Path file, AccessPolicy target, ScheduledExecutorService scheduler, Duration interval) {
    return new PolicyReloader(Objects.requireNonNull(file, "file"), Objects.requireNonNull(target, "target"),
        Objects.requireNonNull(scheduler, "scheduler"), Objects.requireNonNull(interval, "interval"));
  }

  /** Looks once; runs on the scheduler's thread, never on an event loop. */
  void check() {
    byte[] content = read();
    if (content == null) {
      return; // mid-swap or removed: keep the policy in force, look again later
    }
    byte[] digest = digest(content);
    if (Arrays.equals(digest, applied)) {
      return;
    }
    applied = digest;
    try {
      target.replace(PolicyLoader.load(file));
      log.info("policy reloaded from {}", file);
    } catch (PolicyException e) {
      log.error("policy file {} changed but is invalid, keeping the policy in force: {}", file, e.errors());
    } catch (RuntimeException e) {
      log.error("policy file {} could not be reloaded, keeping the policy in force: {}", file, e.toString());
    }
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      log.warn("cannot read policy file {}: {}", file, e.toString());
      return null;
    }
  }

  private static byte[] digest(byte[] content) {
    if (content == null) {
      return null;
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
