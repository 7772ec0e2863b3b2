package dev.kgate.sim.stream.container;

import java.util.List;
import java.util.Map;

/**
 * The executables of the simulated container, by name. A path such as {@code /bin/sh} finds the
 * same command as {@code sh}; an unknown name exits 127 with the message of whoever looked it up
 * (the container runtime for the exec's own command, the shell inside a script).
 */
final class Commands {

  @FunctionalInterface
  private interface Factory {
    SimProcess create(List<String> args, ProcessContext context, ProcessIo io);
  }

  private static final Map<String, Factory> COMMANDS = Map.ofEntries(
      Map.entry("cat", CatProcess::new),
      Map.entry("sh", ShellProcess::new),
      Map.entry("bash", ShellProcess::new),
      Map.entry("tar", TarProcess::new),
      Map.entry("tail", TailProcess::new),
      Map.entry("sleep", SleepProcess::new),
      Map.entry("exit", ExitProcess::new),
      Map.entry("echo", oneShot(Coreutils::echo)),
      Map.entry("ls", oneShot(Coreutils::ls)),
      Map.entry("hostname", oneShot(Coreutils::hostname)),
      Map.entry("env", oneShot(Coreutils::env)),
      Map.entry("printenv", oneShot(Coreutils::env)),
      Map.entry("date", oneShot(Coreutils::date)),
      Map.entry("test", oneShot(Coreutils::test)),
      Map.entry("[", oneShot(Coreutils::test)),
      Map.entry("pwd", oneShot(Coreutils::pwd)),
      Map.entry("mkdir", oneShot(Coreutils::mkdir)),
      Map.entry("rm", oneShot(Coreutils::rm)),
      Map.entry("uname", oneShot(Coreutils::uname)),
      Map.entry("whoami", oneShot(Coreutils::whoami)),
      Map.entry("true", oneShot(Coreutils::succeed)),
      Map.entry(":", oneShot(Coreutils::succeed)),
      Map.entry("false", oneShot(Coreutils::fail)),
      Map.entry("cd", oneShot(Coreutils::cdInSubshell)),
      Map.entry("export", oneShot(Coreutils::succeed)));

  private Commands() {}

  /** The process for an exec's command line, as the container runtime starts it. */
  static SimProcess topLevel(List<String> argv, ProcessContext context, ProcessIo io) {
    Factory factory = COMMANDS.get(baseName(argv.get(0)));
    if (factory == null) {
      return NotFoundProcess.fromRuntime(argv.get(0), context, io);
    }
    return factory.create(argv.subList(1, argv.size()), context, io);
  }

  /** The process for a command line inside {@code sh}. */
  static SimProcess inShell(List<String> argv, ProcessContext context, ProcessIo io) {
    Factory factory = COMMANDS.get(baseName(argv.get(0)));
    if (factory == null) {
      return NotFoundProcess.fromShell(argv.get(0), context, io);
    }
    return factory.create(argv.subList(1, argv.size()), context, io);
  }

  private static String baseName(String command) {
    int slash = command.lastIndexOf('/');
    return slash < 0 || slash == command.length() - 1 ? command : command.substring(slash + 1);
  }

  private static Factory oneShot(OneShotProcess.Body body) {
    return (args, context, io) -> new OneShotProcess(args, context, io, body);
  }
}
