package dev.kgate.cli;

import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Prints an invalid configuration as a header line and one indented line per error, with its key path. */
final class ConfigErrorReport {

  private ConfigErrorReport() {}

  static void print(PrintWriter err, Path file, ConfigException invalid) {
    err.println("kgate: invalid configuration " + file + ":");
    for (ConfigError error : invalid.errors()) {
      err.println("  " + error);
    }
    err.flush();
  }
}
