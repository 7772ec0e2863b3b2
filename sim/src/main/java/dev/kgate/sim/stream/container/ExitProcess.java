package dev.kgate.sim.stream.container;

import java.util.List;

/** {@code exit [N]}: ends with status N modulo 256, as a shell does. */
final class ExitProcess extends AbstractProcess {

  private final List<String> args;

  ExitProcess(List<String> args, ProcessContext context, ProcessIo io) {
    super(context, io);
    this.args = List.copyOf(args);
  }

  @Override
  public void start() {
    ExitCode code = ExitCode.parse(args, 0);
    if (code.error() != null) {
      err(code.error());
    }
    finish(code.value());
  }

  /** The status {@code exit} arguments ask for, or the error a shell prints for a bad one. */
  record ExitCode(int value, String error) {

    static ExitCode parse(List<String> args, int defaultCode) {
      if (args.isEmpty()) {
        return new ExitCode(defaultCode, null);
      }
      try {
        return new ExitCode(Integer.parseInt(args.get(0)) & 0xff, null);
      } catch (NumberFormatException e) {
        return new ExitCode(2, "sh: exit: Illegal number: " + args.get(0) + "\n");
      }
    }
  }
}
