package dev.kgate.sim.stream.container;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code sleep SECONDS}: exits 0 after the delay, on the event loop's timer (never a blocked thread). */
final class SleepProcess extends AbstractProcess {

  private final List<String> args;

  SleepProcess(List<String> args, ProcessContext context, ProcessIo io) {
    super(context, io);
    this.args = List.copyOf(args);
  }

  @Override
  public void start() {
    if (args.isEmpty()) {
      err("sleep: missing operand\n");
      finish(1);
      return;
    }
    long nanos = 0;
    for (String arg : args) {
      Double seconds = parseSeconds(arg);
      if (seconds == null) {
        err("sleep: invalid number '" + arg + "'\n");
        finish(1);
        return;
      }
      nanos += (long) (seconds * 1_000_000_000L);
    }
    schedule(() -> finish(0), nanos, TimeUnit.NANOSECONDS);
  }

  private static Double parseSeconds(String text) {
    double unit = 1;
    String number = text;
    if (!text.isEmpty()) {
      switch (text.charAt(text.length() - 1)) {
        case 's':
          number = text.substring(0, text.length() - 1);
          break;
        case 'm':
          unit = 60;
          number = text.substring(0, text.length() - 1);
          break;
        case 'h':
          unit = 3600;
          number = text.substring(0, text.length() - 1);
          break;
        default:
          break;
      }
    }
    try {
      double value = Double.parseDouble(number);
      return value >= 0 && Double.isFinite(value) ? value * unit : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
