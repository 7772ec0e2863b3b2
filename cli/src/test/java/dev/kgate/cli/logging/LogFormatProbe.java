package dev.kgate.cli.logging;

import org.slf4j.LoggerFactory;

/** Logs one line through the kgate command's logging configuration; run in a child JVM. */
public final class LogFormatProbe {

  private LogFormatProbe() {}

  public static void main(String[] args) {
    LoggerFactory.getLogger("dev.kgate.probe").info("probe {} done", "alpha");
  }
}
