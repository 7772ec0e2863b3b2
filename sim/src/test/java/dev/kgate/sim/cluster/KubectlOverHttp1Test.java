package dev.kgate.sim.cluster;

import java.util.Map;

/** {@code DISABLE_HTTP2} makes kubectl send no ALPN at all; the front must fall back to HTTP/1.1. */
class KubectlOverHttp1Test extends KubectlAgainstSimClusterContract {

  @Override
  Map<String, String> environment() {
    return Map.of("DISABLE_HTTP2", "1");
  }

  @Override
  String expectedProtocol() {
    return "http/1.1";
  }
}
