package dev.kgate.sim.stream.container;

/**
 * A command that does not exist: prints what a container runtime (at the top of an exec) or a
 * shell (inside a script) prints, and exits 127.
 */
final class NotFoundProcess extends AbstractProcess {

  static final int NOT_FOUND = 127;

  private final String message;

  private NotFoundProcess(ProcessContext context, ProcessIo io, String message) {
    super(context, io);
    this.message = message;
  }

  /** As runc reports an exec of a missing binary. */
  static NotFoundProcess fromRuntime(String name, ProcessContext context, ProcessIo io) {
    return new NotFoundProcess(context, io,
        "OCI runtime exec failed: exec failed: unable to start container process: exec: \""
            + name + "\": executable file not found in $PATH: unknown\n");
  }

  /** As busybox sh reports a missing command. */
  static NotFoundProcess fromShell(String name, ProcessContext context, ProcessIo io) {
    return new NotFoundProcess(context, io, "sh: " + name + ": not found\n");
  }

  @Override
  public void start() {
    err(message);
    finish(NOT_FOUND);
  }
}
