package dev.kgate.cli;

import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.server.GatewayServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kgate serve --config FILE}: loads and validates the gateway configuration, starts the
 * gateway and runs it until SIGINT/SIGTERM, when it closes gracefully. An invalid configuration is
 * reported with every error and its key path, and exit code {@value #EXIT_INVALID_CONFIG}.
 */
@Command(name = "serve", description = "Run the gateway with a configuration file.")
final class ServeCommand implements Callable<Integer> {

  static final int EXIT_INVALID_CONFIG = 2;

  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  /**
   * How long a stop (SIGTERM, Ctrl-C) waits for requests in flight. The deployment gives the pod
   * 60 s, of which its preStop hook takes 5: this leaves room to flush the audit log.
   */
  static final Duration SHUTDOWN_DEADLINE = Duration.ofSeconds(45);

  private final StopSignal stop;

  @Spec private CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The gateway configuration (YAML).")
  private Path config;

  ServeCommand(StopSignal stop) {
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    GatewayConfig loaded;
    try {
      loaded = ConfigLoader.load(config);
    } catch (ConfigException invalid) {
      ConfigErrorReport.print(err, config, invalid);
      return EXIT_INVALID_CONFIG;
    }
    GatewayConfig.Listen listen = loaded.listen();
    GatewayServer server;
    try {
      // GatewayServer logs the address it listens on once it is bound.
      server = GatewayServer.builder(loaded).configFile(config.toAbsolutePath().normalize()).start();
    } catch (ConfigException invalid) {
      // Problems found only while resolving the clusters (an empty token file, a bad kubeconfig).
      ConfigErrorReport.print(err, config, invalid);
      return EXIT_INVALID_CONFIG;
    } catch (Exception failure) {
      if (AddressInUse.causedBy(failure)) {
        err.println("kgate: cannot listen on " + listen.address() + ":" + listen.port() + ": the address is already in use");
        return OneLineErrorHandler.EXIT_FAILURE;
      }
      throw failure;
    }
    ReloadSignal.install(server::reloadNow);
    GatewayServer running = server;
    stop.runUntilStopped(() -> running.shutdown(SHUTDOWN_DEADLINE));
    log.info("kgate stopped");
    return 0;
  }
}
