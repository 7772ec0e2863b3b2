package dev.kgate.sim.stream;

import java.util.Optional;

/**
 * The listeners of a simulated pod: port 80 is a web server answering {@code hello from <pod>},
 * {@link PodStreams#CLOSED_PORT} has nothing listening (so port-forward errors can be tested), and
 * every other port echoes what it receives.
 */
final class PodPorts {

  static final int HTTP_PORT = 80;

  private PodPorts() {}

  /** The port in a {@code port} header, or -1 if it is missing or not 1..65535. */
  static int parsePort(String text) {
    if (text == null) {
      return -1;
    }
    try {
      int port = Integer.parseInt(text.trim());
      return port >= 1 && port <= 65535 ? port : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Connects to {@code port} in the pod; empty if nothing listens there. */
  static Optional<PodConnection> connect(int port, PodConnection.Peer peer, String namespace, String pod) {
    if (port == PodStreams.CLOSED_PORT) {
      return Optional.empty();
    }
    if (port == HTTP_PORT) {
      return Optional.of(new HelloHttpConnection(peer, pod));
    }
    return Optional.of(new EchoConnection(peer));
  }

  /** The text the kubelet (with containerd) sends on the error stream for a refused connection. */
  static String refusedMessage(int port, String namespace, String pod) {
    return "error forwarding port " + port + " to pod " + namespace + "/" + pod + ", uid : failed to execute "
        + "portforward in network namespace \"/var/run/netns/cni-sim\": failed to connect to localhost:"
        + port + " inside namespace \"" + pod + "\", IPv4: dial tcp4 127.0.0.1:" + port
        + ": connect: connection refused IPv6 dial tcp6 [::1]:" + port + ": connect: connection refused ";
  }
}
