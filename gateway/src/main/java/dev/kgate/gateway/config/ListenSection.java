package dev.kgate.gateway.config;

import dev.kgate.gateway.config.GatewayConfig.ClientAuth;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Reads {@code listen}: where kubectl connects and with which certificate. */
final class ListenSection {

  private static final List<String> LISTEN_KEYS = List.of("address", "port", "tls");
  private static final List<String> TLS_KEYS = List.of("cert", "key", "clientCa", "clientAuth");

  private ListenSection() {}

  /** The listener, or null when anything in it was reported. */
  static GatewayConfig.Listen parse(ConfigNode listen) {
    int errorsBefore = listen.errorCount();
    if (!listen.mapping(LISTEN_KEYS, true)) {
      return null;
    }
    ConfigNode addressNode = listen.get("address");
    String address = addressNode.isAbsent() ? ConfigLoader.DEFAULT_LISTEN_ADDRESS : addressNode.string();
    if (address != null && !HostNames.isHostOrAddress(address)) {
      addressNode.error("expected an IP address or host name, was '" + address + "'");
    }
    // Port 0 lets tests and the demo bind an ephemeral port.
    int port = listen.get("port").integer(ConfigLoader.DEFAULT_LISTEN_PORT, 0, 65535);
    GatewayConfig.Tls tls = tls(listen.get("tls"));
    return listen.errorCount() == errorsBefore ? new GatewayConfig.Listen(address, port, tls) : null;
  }

  private static GatewayConfig.Tls tls(ConfigNode tls) {
    if (!tls.mapping(TLS_KEYS, true)) {
      return null;
    }
    ConfigNode certNode = tls.get("cert");
    ConfigNode keyNode = tls.get("key");
    Path cert = certNode.requiredFile();
    Path key = keyNode.requiredFile();
    PemChecks.keyPair(certNode, cert, keyNode, key);

    ConfigNode clientCaNode = tls.get("clientCa");
    Path clientCa = clientCaNode.file();
    PemChecks.certificates(clientCaNode, clientCa);

    ConfigNode clientAuthNode = tls.get("clientAuth");
    ClientAuth clientAuth = clientAuth(clientAuthNode, !clientCaNode.isAbsent());
    if (clientAuth == null) {
      return null;
    }
    if (clientAuth != ClientAuth.NONE && clientCaNode.isAbsent()) {
      clientAuthNode.error(
          "clientCa is required when clientAuth is " + clientAuth.name().toLowerCase(Locale.ROOT));
      return null;
    }
    if (clientAuth == ClientAuth.NONE && !clientCaNode.isAbsent()) {
      clientCaNode.error("set, but clientAuth is none: remove it, or set clientAuth to optional or require");
      return null;
    }
    return cert == null || key == null ? null : new GatewayConfig.Tls(cert, key, clientCa, clientAuth);
  }

  private static ClientAuth clientAuth(ConfigNode node, boolean clientCaGiven) {
    if (node.isAbsent()) {
      return clientCaGiven ? ClientAuth.OPTIONAL : ClientAuth.NONE;
    }
    String text = node.string();
    if (text == null) {
      return null;
    }
    switch (text) {
      case "none":
        return ClientAuth.NONE;
      case "optional":
        return ClientAuth.OPTIONAL;
      case "require":
        return ClientAuth.REQUIRE;
      default:
        node.error("expected none, optional or require, was '" + text + "'");
        return null;
    }
  }
}
