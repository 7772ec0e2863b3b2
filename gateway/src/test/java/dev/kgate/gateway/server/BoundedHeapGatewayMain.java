package dev.kgate.gateway.server;

import dev.kgate.gateway.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own, for {@link StreamingHeapTest}: started from a config file, it
 * prints {@code READY <port>} and then the used heap every 100 ms, so the test can show memory
 * stays bounded while hundreds of megabytes stream through.
 */
public final class BoundedHeapGatewayMain {

  private BoundedHeapGatewayMain() {}

  public static void main(String[] args) throws Exception {
    GatewayServer server = GatewayServer.start(ConfigLoader.load(Path.of(args[0])));
    System.out.println("READY " + server.port());
    System.out.flush();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    sampler.scheduleAtFixedRate(() -> {
      System.out.println("HEAP " + memory.getHeapMemoryUsage().getUsed() + " " + memory.getHeapMemoryUsage().getMax());
      System.out.flush();
    }, 0, 100, TimeUnit.MILLISECONDS);
    // Exit when the test closes our stdin.
    while (System.in.read() >= 0) {
      Thread.onSpinWait();
    }
    sampler.shutdownNow();
    server.close();
  }
}
