package dev.kgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kgate version}: prints one line with the kgate version and the Java runtime. */
@Command(name = "version", description = "Print the kgate version.")
final class VersionCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println(KgateVersion.describe());
    return 0;
  }
}
