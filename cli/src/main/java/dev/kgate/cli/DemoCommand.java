package dev.kgate.cli;

import dev.kgate.cli.demo.Demo;
import dev.kgate.gateway.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kgate demo}: starts the whole demo in this process (see {@link Demo}), prints the banner
 * with the commands to try, and runs until Ctrl-C. A taken port is one plain line and exit 1.
 */
@Command(name = "demo", description = "Run a gateway, a built-in IdP and two simulated clusters, ready for kubectl.")
final class DemoCommand implements Callable<Integer> {

  private final StopSignal stop;

  @Spec private CommandSpec spec;

  @Option(names = "--port", defaultValue = "8443", paramLabel = "PORT",
      description = "Gateway port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  private int port;

  @Option(names = "--dir", defaultValue = ".kgate-demo", paramLabel = "DIR",
      description = "Where to write the demo's certificates, config and kubeconfig (default: ${DEFAULT-VALUE}).")
  private Path dir;

  DemoCommand(StopSignal stop) {
    this.stop = Objects.requireNonNull(stop, "stop");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      err.println("kgate: --port must be between 0 and 65535, not " + port);
      return 2;
    }
    // Checked before starting anything, so a taken port costs nothing; checked again below
    // because another process may take it in between.
    if (AddressInUse.isTaken(Demo.ADDRESS, port)) {
      err.println(portTaken());
      return OneLineErrorHandler.EXIT_FAILURE;
    }
    Demo demo;
    try {
      demo = Demo.start(port, dir, Clock.systemUTC());
    } catch (ConfigException invalid) {
      ConfigErrorReport.print(err, dir.resolve("gateway.yaml"), invalid);
      return ServeCommand.EXIT_INVALID_CONFIG;
    } catch (Exception failure) {
      if (AddressInUse.causedBy(failure)) {
        err.println(portTaken());
        return OneLineErrorHandler.EXIT_FAILURE;
      }
      throw failure;
    }
    demo.banner().lines().forEach(out::println);
    out.flush();
    stop.runUntilStopped(demo);
    return 0;
  }

  private String portTaken() {
    return "kgate: port " + port + " on " + Demo.ADDRESS + " is already in use; choose another with --port";
  }
}
