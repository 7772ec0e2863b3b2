package dev.kgate.gateway.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** A bearer token written inline in a kubeconfig; it never changes while the gateway runs. */
final class StaticTokenCredential implements UpstreamCredential {

  private final String authorization;

  StaticTokenCredential(String token) {
    this.authorization = "Bearer " + Tokens.requireHeaderSafe(token);
  }

  @Override
  public void applyTo(HttpHeaders headers) {
    headers.set(HttpHeaderNames.AUTHORIZATION, authorization);
  }

  @Override
  public String toString() {
    return "StaticTokenCredential[token hidden]";
  }
}
