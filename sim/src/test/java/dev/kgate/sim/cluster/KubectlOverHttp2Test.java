package dev.kgate.sim.cluster;

import java.util.Map;

/** kubectl negotiates h2 by ALPN, as it does by default. */
class KubectlOverHttp2Test extends KubectlAgainstSimClusterContract {

  @Override
  Map<String, String> environment() {
    return Map.of();
  }

  @Override
  String expectedProtocol() {
    return "h2";
  }
}
