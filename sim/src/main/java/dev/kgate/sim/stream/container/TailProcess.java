package dev.kgate.sim.stream.container;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code tail} on standard input or one file: {@code -c +N} streams from byte N (what {@code
 * kubectl cp --retries} pipes {@code tar} into), {@code -c N}, {@code -n N} and {@code -n +N}
 * buffer the input and print at its end. Without options it prints the last 10 lines.
 */
final class TailProcess extends AbstractProcess {

  private final List<String> args;
  private final ByteArrayOutputStream buffered = new ByteArrayOutputStream();
  private boolean bytes;
  private boolean fromStart;
  private long count = 10;
  private long skipped;

  TailProcess(List<String> args, ProcessContext context, ProcessIo io) {
    super(context, io);
    this.args = List.copyOf(args);
  }

  @Override
  public void start() {
    String file = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value;
      if (arg.equals("-c") || arg.equals("-n")) {
        if (i + 1 >= args.size()) {
          usage("option requires an argument -- '" + arg.charAt(1) + "'");
          return;
        }
        value = args.get(++i);
      } else if ((arg.startsWith("-c") || arg.startsWith("-n")) && arg.length() > 2) {
        value = arg.substring(2);
      } else if (!arg.startsWith("-") || arg.equals("-")) {
        file = arg;
        continue;
      } else {
        usage("unrecognized option '" + arg + "'");
        return;
      }
      bytes = arg.startsWith("-c");
      fromStart = value.startsWith("+");
      try {
        count = Long.parseLong(fromStart ? value.substring(1) : value);
      } catch (NumberFormatException e) {
        usage("invalid number '" + value + "'");
        return;
      }
    }
    if (file != null && !file.equals("-")) {
      Optional<byte[]> content = context.fs().read(context.resolve(file));
      if (content.isEmpty()) {
        err("tail: can't open '" + file + "': No such file or directory\n");
        finish(1);
        return;
      }
      buffered.writeBytes(content.get());
      stdinClosed();
    }
  }

  @Override
  public boolean readsStdin() {
    return !isDone();
  }

  @Override
  public void stdin(ByteBuf data) {
    if (isDone()) {
      data.release();
      return;
    }
    if (bytes && fromStart) {
      // "+N" counts from 1: skip N-1 bytes, stream the rest as it comes.
      long toSkip = Math.max(0, count - 1 - skipped);
      int skip = (int) Math.min(toSkip, data.readableBytes());
      skipped += skip;
      data.skipBytes(skip);
      if (data.isReadable()) {
        io.stdout(data);
      } else {
        data.release();
      }
      return;
    }
    try {
      byte[] copy = new byte[data.readableBytes()];
      data.readBytes(copy);
      buffered.writeBytes(copy);
    } finally {
      data.release();
    }
  }

  @Override
  public void stdinClosed() {
    if (isDone()) {
      return;
    }
    byte[] input = buffered.toByteArray();
    byte[] result = bytes ? tailBytes(input) : tailLines(input);
    new OutputPump(io, result, this::isDone, () -> finish(0)).run();
  }

  private byte[] tailBytes(byte[] input) {
    if (fromStart) {
      int from = (int) Math.min(input.length, Math.max(0, count - 1));
      return Arrays.copyOfRange(input, from, input.length);
    }
    int from = (int) Math.max(0, input.length - count);
    return Arrays.copyOfRange(input, from, input.length);
  }

  private byte[] tailLines(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    String[] lines = text.split("(?<=\n)");
    int total = text.isEmpty() ? 0 : lines.length;
    int from = fromStart ? (int) Math.min(total, Math.max(0, count - 1)) : (int) Math.max(0, total - count);
    StringBuilder out = new StringBuilder();
    for (int i = from; i < total; i++) {
      out.append(lines[i]);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void usage(String problem) {
    err("tail: " + problem + "\n");
    finish(1);
  }
}
