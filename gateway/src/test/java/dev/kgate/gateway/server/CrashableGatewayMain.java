package dev.kgate.gateway.server;

import dev.kgate.gateway.config.ConfigLoader;
import java.nio.file.Path;

/**
 * A gateway in a JVM of its own, for {@link AuditCrashRecoveryTest}: started from a config file,
 * it prints {@code READY <port>} and serves until its stdin closes (then it stops gracefully), or
 * until the test kills it with SIGKILL, which is the point.
 */
public final class CrashableGatewayMain {

  private CrashableGatewayMain() {}

  public static void main(String[] args) throws Exception {
    GatewayServer server = GatewayServer.start(ConfigLoader.load(Path.of(args[0])));
    System.out.println("READY " + server.port());
    System.out.flush();
    while (System.in.read() >= 0) {
      Thread.onSpinWait();
    }
    server.close();
  }
}
