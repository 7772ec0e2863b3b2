package dev.kgate.cli.login;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * What the login commands take from the world: the clock, the browser, the wait between device
 * polls, environment variables and whether a person sits at a terminal. Tests replace each.
 */
record LoginEnvironment(Clock clock, BrowserOpener browser, DeviceFlow.Sleeper sleeper,
    Function<String, String> environment, BooleanSupplier terminal) {

  LoginEnvironment {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(browser, "browser");
    Objects.requireNonNull(sleeper, "sleeper");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(terminal, "terminal");
  }

  static LoginEnvironment system() {
    return new LoginEnvironment(Clock.systemUTC(), BrowserOpener.system(System.getenv("BROWSER")),
        duration -> Thread.sleep(duration.toMillis()), System::getenv, LoginEnvironment::controllingTerminal);
  }

  /**
   * Whether this process has a terminal to talk to. kubectl captures the plugin's stdout, so
   * {@code System.console()} is null even when a person is there; the controlling terminal is not.
   */
  private static boolean controllingTerminal() {
    if (System.getProperty("os.name", "").startsWith("Windows")) {
      return System.console() != null;
    }
    try (RandomAccessFile tty = new RandomAccessFile("/dev/tty", "rw")) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
