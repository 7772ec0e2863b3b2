package dev.kgate.gateway.config;

import dev.kgate.gateway.tls.PemException;
import dev.kgate.gateway.tls.PemFiles;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Parses the PEM files a configuration names while loading it, so a bad certificate or key is
 * reported at its own key path at startup, not as a handshake failure at the first request.
 */
final class PemChecks {

  private PemChecks() {}

  /** Reports at {@code node} unless {@code file} holds at least one certificate. */
  static void certificates(ConfigNode node, Path file) {
    if (file == null) {
      return;
    }
    try {
      PemFiles.readCertificates(file);
    } catch (PemException e) {
      node.error(e.getMessage());
    }
  }

  /**
   * Reports at {@code certNode}/{@code keyNode} unless both files parse and the key belongs to the
   * first certificate of the chain.
   */
  static void keyPair(ConfigNode certNode, Path certFile, ConfigNode keyNode, Path keyFile) {
    List<X509Certificate> chain = null;
    PrivateKey key = null;
    if (certFile != null) {
      try {
        chain = PemFiles.readCertificates(certFile);
      } catch (PemException e) {
        certNode.error(e.getMessage());
      }
    }
    if (keyFile != null) {
      try {
        key = PemFiles.readPrivateKey(keyFile);
      } catch (PemException e) {
        keyNode.error(e.getMessage());
      }
    }
    if (chain != null && key != null) {
      try {
        PemFiles.requireMatchingKey(key, chain.get(0));
      } catch (PemException e) {
        keyNode.error(e.getMessage());
      }
    }
  }
}
