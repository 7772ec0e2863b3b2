package dev.kgate.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGHUP makes {@code kgate serve} look at its policy file and listener certificate at once, the
 * way operators expect of a daemon, instead of at the next periodic check.
 */
final class ReloadSignal {

  private static final Logger log = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  static void install(Runnable reload) {
    try {
      Signal.handle(new Signal("HUP"), signal -> {
        log.info("SIGHUP: reloading the policy, the clusters and the listener certificate");
        reload.run();
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      // Not every platform (or JVM run with -Xrs) lets us have SIGHUP; periodic checks still run.
      log.warn("SIGHUP reloads are not available here: {}", e.getMessage());
    }
  }
}
