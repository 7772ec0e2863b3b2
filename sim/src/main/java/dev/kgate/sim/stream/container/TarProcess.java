package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tar}: {@code c} writes an archive of the in-memory filesystem to standard output (or a
 * file), {@code x} reads an archive from standard input until it ends and unpacks it, {@code t}
 * lists one. The forms {@code kubectl cp} sends are {@code tar -xmf - -C DIR} and {@code tar cf -
 * PATH}. Exit codes and messages follow GNU tar: 2 for fatal problems and unreadable archives.
 */
final class TarProcess extends AbstractProcess {

  /** Refuse archives beyond this, rather than let a runaway upload exhaust the test JVM. */
  static final int MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

  private static final String REMOVING_LEADING_SLASH = "tar: Removing leading `/' from member names";

  private final List<String> args;
  private final ByteArrayOutputStream input = new ByteArrayOutputStream();
  private TarOptions options;
  private String directory;
  private boolean readingStdin;

  TarProcess(List<String> args, ProcessContext context, ProcessIo io) {
    super(context, io);
    this.args = List.copyOf(args);
  }

  @Override
  public void start() {
    TarOptions.Parsed parsed = TarOptions.parse(args);
    if (parsed.options().isEmpty()) {
      err(parsed.error());
      finish(2);
      return;
    }
    options = parsed.options().get();
    directory = options.directory() == null ? context.cwd() : context.resolve(options.directory());
    if (!context.fs().isDirectory(directory)) {
      err("tar: " + options.directory() + ": Cannot open: No such file or directory\n"
          + "tar: Error is not recoverable: exiting now\n");
      finish(2);
      return;
    }
    if (options.mode() == 'c') {
      create();
    } else if (options.archive().equals("-")) {
      readingStdin = true;
    } else {
      Optional<byte[]> archive = context.fs().read(context.resolve(options.archive()));
      if (archive.isEmpty()) {
        err("tar: " + options.archive() + ": Cannot open: No such file or directory\n"
            + "tar: Error is not recoverable: exiting now\n");
        finish(2);
        return;
      }
      unpack(archive.get());
    }
  }

  @Override
  public boolean readsStdin() {
    return readingStdin && !isDone();
  }

  @Override
  public void stdin(ByteBuf data) {
    try {
      if (!readingStdin || isDone()) {
        return;
      }
      if (input.size() + data.readableBytes() > MAX_ARCHIVE_BYTES) {
        err("tar: archive is larger than the simulated container accepts\n");
        finish(2);
        return;
      }
      byte[] copy = new byte[data.readableBytes()];
      data.readBytes(copy);
      input.writeBytes(copy);
    } finally {
      data.release();
    }
  }

  @Override
  public void stdinClosed() {
    if (readingStdin && !isDone()) {
      readingStdin = false;
      unpack(input.toByteArray());
    }
  }

  private void create() {
    if (options.operands().isEmpty()) {
      err("tar: Cowardly refusing to create an empty archive\n"
          + "Try 'tar --help' or 'tar --usage' for more information.\n");
      finish(2);
      return;
    }
    List<String> names = new ArrayList<>();
    TarArchives.Result result = TarArchives.create(context.fs(), directory, options.operands(), names);
    int code = complain(result.errors());
    if (options.archive().equals("-")) {
      if (options.verbose()) {
        // With the archive on stdout, GNU tar lists members on stderr.
        err(String.join("\n", names) + (names.isEmpty() ? "" : "\n"));
      }
      new OutputPump(io, result.bytes(), this::isDone, () -> finish(code)).run();
      return;
    }
    if (options.verbose()) {
      out(String.join("\n", names) + (names.isEmpty() ? "" : "\n"));
    }
    context.fs().write(context.resolve(options.archive()), result.bytes());
    finish(code);
  }

  private void unpack(byte[] archive) {
    boolean list = options.mode() == 't';
    TarArchives.Result result = TarArchives.extract(
        context.fs(), directory, archive, options.samePermissions(), list);
    int code = complain(result.errors());
    byte[] listing = list || options.verbose() ? result.bytes() : new byte[0];
    new OutputPump(io, listing, this::isDone, () -> finish(code)).run();
  }

  /** Prints GNU tar's complaints; any but the leading-slash notice makes the exit code 2. */
  private int complain(List<String> errors) {
    if (errors.isEmpty()) {
      return 0;
    }
    StringBuilder text = new StringBuilder();
    errors.forEach(line -> text.append(line).append('\n'));
    boolean failed = errors.stream().anyMatch(line -> !line.equals(REMOVING_LEADING_SLASH));
    if (failed) {
      text.append("tar: Exiting with failure status due to previous errors\n");
    }
    io.stderr(Unpooled.wrappedBuffer(text.toString().getBytes(StandardCharsets.UTF_8)));
    return failed ? 2 : 0;
  }
}
