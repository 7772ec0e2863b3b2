package dev.kgate.gateway.tls;

import dev.kgate.gateway.config.GatewayConfig;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed listener certificate and key (cert-manager renews them in place): a pair that
 * loads and matches becomes the context for every new connection; connections already open keep
 * theirs, so open watches and exec sessions carry on. A pair that does not load (half-written,
 * mismatched) is refused with a log line and the old one stays.
 */
public final class ListenerCertificateReloader implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ListenerCertificateReloader.class);

  private final GatewayConfig.Tls tls;
  private final AtomicReference<SslContext> target;

  public ListenerCertificateReloader(GatewayConfig.Tls tls, AtomicReference<SslContext> target) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.target = Objects.requireNonNull(target, "target");
  }

  @Override
  public void run() {
    try {
      target.set(ServerTlsContexts.forListener(tls));
      log.info("listener certificate reloaded from {}", tls.cert());
    } catch (RuntimeException e) {
      log.error("listener certificate {} or key {} changed but cannot be used, keeping the one in force: {}",
          tls.cert(), tls.key(), e.getMessage());
    }
  }
}
