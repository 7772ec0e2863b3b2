package dev.kgate.gateway.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The gateway authenticates with a client certificate in the TLS handshake. It still removes any
 * {@code Authorization} header: the API server tries bearer tokens too, and a client's own token
 * must never reach it beside the gateway's identity, whatever the handlers before this one did.
 */
final class ClientCertificateCredential implements UpstreamCredential {

  static final ClientCertificateCredential INSTANCE = new ClientCertificateCredential();

  private ClientCertificateCredential() {}

  @Override
  public void applyTo(HttpHeaders headers) {
    headers.remove(HttpHeaderNames.AUTHORIZATION);
  }

  @Override
  public String toString() {
    return "ClientCertificateCredential";
  }
}
