package dev.kgate.gateway.authz;

import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed policy file: a valid new policy replaces the one in force atomically (and
 * closes the streams it no longer allows); an invalid one is refused with its errors logged, and
 * the old policy stays. {@code FileContentWatch} decides when the file changed.
 */
public final class PolicyReloader implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PolicyReloader.class);

  private final Path file;
  private final AccessPolicy target;

  public PolicyReloader(Path file, AccessPolicy target) {
    this.file = Objects.requireNonNull(file, "file");
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public void run() {
    try {
      target.replace(PolicyLoader.load(file));
      log.info("policy reloaded from {}", file);
    } catch (PolicyException e) {
      log.error("policy file {} changed but is invalid, keeping the policy in force: {}", file, e.errors());
    }
  }
}
