package dev.kgate.gateway.upstream;

import java.nio.file.Path;

/**
 * What one kubeconfig context says about its cluster and user, with files already read and
 * base64 data already decoded. Held only while a target is resolved.
 *
 * @param server             the cluster's server URL as written
 * @param tlsServerName      {@code tls-server-name}, or null
 * @param caPem              the CA bundle (PEM), or null when the kubeconfig has none
 * @param insecure           {@code insecure-skip-tls-verify: true}
 * @param token              an inline bearer token, or null
 * @param tokenFile          {@code tokenFile}, resolved against the kubeconfig's directory, or null
 * @param clientCertPem      client certificate chain (PEM), or null
 * @param clientKeyPem       client key (PEM), or null
 */
record KubeconfigEntry(
    String server,
    String tlsServerName,
    String caPem,
    boolean insecure,
    String token,
    Path tokenFile,
    String clientCertPem,
    String clientKeyPem) {

  @Override
  public String toString() {
    return "KubeconfigEntry[" + server + "]"; // never the token or key
  }
}
