package dev.kgate.gateway.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A private key and the certificate chain it belongs to (leaf first), already checked to match.
 *
 * @param key   the private key; never printed by {@link #toString()}
 * @param chain the certificate chain, leaf first, at least one certificate
 */
public record TlsKeyPair(PrivateKey key, List<X509Certificate> chain) {

  public TlsKeyPair {
    Objects.requireNonNull(key, "key");
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must hold at least the leaf certificate");
    }
  }

  /** Parses both PEM texts and checks that the key belongs to the leaf certificate. */
  public static TlsKeyPair parse(String certificatePem, String keyPem) throws PemException {
    List<X509Certificate> chain = PemFiles.parseCertificates(certificatePem);
    PrivateKey key = PemFiles.parsePrivateKey(keyPem);
    PemFiles.requireMatchingKey(key, chain.get(0));
    return new TlsKeyPair(key, chain);
  }

  /** Reads both PEM files and checks that the key belongs to the leaf certificate. */
  public static TlsKeyPair read(Path certificateFile, Path keyFile) throws PemException {
    List<X509Certificate> chain;
    try {
      chain = PemFiles.readCertificates(certificateFile);
    } catch (PemException e) {
      throw new PemException(certificateFile + ": " + e.getMessage(), e);
    }
    PrivateKey key;
    try {
      key = PemFiles.readPrivateKey(keyFile);
    } catch (PemException e) {
      throw new PemException(keyFile + ": " + e.getMessage(), e);
    }
    PemFiles.requireMatchingKey(key, chain.get(0));
    return new TlsKeyPair(key, chain);
  }

  @Override
  public String toString() {
    return "TlsKeyPair[" + chain.get(0).getSubjectX500Principal().getName() + "]";
  }
}
