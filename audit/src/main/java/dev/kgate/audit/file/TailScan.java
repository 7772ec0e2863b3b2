package dev.kgate.audit.file;

import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.ChainLine;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.LineReader;
import dev.kgate.audit.store.SealRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a chain stands on disk by reading only the ends of its files: the last complete
 * line (its seq and hash), the file to continue in, where the chain begins, and any torn tail
 * (bytes after the last newline of the last file, left by a crash or a failed write).
 */
final class TailScan {

  private static final int CHUNK = 8192;

  /** Bytes after the last newline of the last file: their offset, length, first bytes and hash. */
  record Torn(ChainFile file, long offset, long length, byte[] kept, String sha256) {}

  /** What a scan found; {@code current} is null for a chain with no files. */
  record Result(long seq, String hash, String headFile, ChainFile current, long goodSize,
      long baseSeq, String baseHash, LocalDate oldest, Torn torn) {}

  private record Head(long seq, String hash, String file) {}

  private TailScan() {}

  static Result scan(Path dir) throws IOException {
    List<ChainFile> files = ChainFile.list(dir);
    if (files.isEmpty()) {
      return new Result(0, LineHash.GENESIS, null, null, 0, 0, LineHash.GENESIS, null, null);
    }
    ChainFile last = files.get(files.size() - 1);
    Path lastPath = dir.resolve(last.name());
    long size = Files.size(lastPath);
    long end = lastNewline(lastPath, size) + 1;
    Torn torn = end < size ? torn(last, lastPath, end, size) : null;
    Head head = head(dir, files, files.size() - 1, end);
    long baseSeq = 0;
    String baseHash = LineHash.GENESIS;
    Optional<ChainLine> first = firstLine(dir, files);
    if (first.isPresent()) {
      baseSeq = first.get().seq() - 1;
      baseHash = first.get().prevHash();
    }
    return new Result(head.seq(), head.hash(), head.file(), last, end, baseSeq, baseHash,
        files.get(0).date(), torn);
  }

  /** The chain name of the first readable line, for a directory that lost its {@code user.json}. */
  static Optional<String> chainFromFirstLine(Path dir) throws IOException {
    return firstLine(dir, ChainFile.list(dir)).map(ChainLine::chain);
  }

  /** A file's last complete line: its seq and hash. */
  record LastLine(long seq, String hash) {}

  /** The last complete line of a file, if it has a readable one. */
  static Optional<LastLine> lastLine(Path file) throws IOException {
    long end = lastNewline(file, Files.size(file)) + 1;
    if (end == 0) {
      return Optional.empty();
    }
    byte[] bytes = lineEndingAt(file, end);
    return ChainLine.parse(bytes).map(line -> new LastLine(line.seq(), LineHash.of(bytes)));
  }

  private static Head head(Path dir, List<ChainFile> files, int index, long endOfIndex)
      throws IOException {
    for (int i = index; i >= 0; i--) {
      Path path = dir.resolve(files.get(i).name());
      long end = i == index ? endOfIndex : lastNewline(path, Files.size(path)) + 1;
      if (end == 0) {
        continue;
      }
      byte[] line = lineEndingAt(path, end);
      Optional<ChainLine> parsed = ChainLine.parse(line);
      if (parsed.isPresent()) {
        return new Head(parsed.get().seq(), LineHash.of(line), files.get(i).name());
      }
      return countedHead(dir, files, i, end, line);
    }
    return new Head(0, LineHash.GENESIS, null);
  }

  // The last line does not parse (it was tampered with or corrupted): number it by counting from
  // the last line that does, so the chain continues with consecutive seqs and verify names the bad line.
  private static Head countedHead(Path dir, List<ChainFile> files, int i, long end, byte[] lastLine)
      throws IOException {
    long count = 0;
    long lastParsedSeq = -1;
    long linesAfterParsed = 0;
    try (LineReader reader = LineReader.open(dir.resolve(files.get(i).name()))) {
      LineReader.Line line;
      while ((line = reader.next()) != null && line.offset() < end) {
        count++;
        Optional<ChainLine> parsed = ChainLine.parse(line.bytes());
        if (parsed.isPresent()) {
          lastParsedSeq = parsed.get().seq();
          linesAfterParsed = 0;
        } else {
          linesAfterParsed++;
        }
      }
    }
    String name = files.get(i).name();
    if (lastParsedSeq >= 0) {
      return new Head(lastParsedSeq + linesAfterParsed, LineHash.of(lastLine), name);
    }
    long before = 0;
    if (i > 0) {
      Path previous = dir.resolve(files.get(i - 1).name());
      before = head(dir, files, i - 1, lastNewline(previous, Files.size(previous)) + 1).seq();
    }
    return new Head(before + count, LineHash.of(lastLine), name);
  }

  private static Optional<ChainLine> firstLine(Path dir, List<ChainFile> files) throws IOException {
    for (ChainFile file : files) {
      try (LineReader reader = LineReader.open(dir.resolve(file.name()))) {
        LineReader.Line line = reader.next();
        if (line != null) {
          return ChainLine.parse(line.bytes());
        }
      }
    }
    return Optional.empty();
  }

  private static Torn torn(ChainFile file, Path path, long offset, long size) throws IOException {
    MessageDigest digest = LineHash.sha256();
    byte[] kept = new byte[(int) Math.min(size - offset, SealRecord.KEPT_BYTES)];
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      long position = offset;
      int keptSoFar = 0;
      while (position < size) {
        buffer.clear();
        int read = channel.read(buffer, position);
        if (read <= 0) {
          break;
        }
        digest.update(buffer.array(), 0, read);
        int copy = Math.min(read, kept.length - keptSoFar);
        System.arraycopy(buffer.array(), 0, kept, keptSoFar, copy);
        keptSoFar += copy;
        position += read;
      }
    }
    return new Torn(file, offset, size - offset, kept, HexFormat.of().formatHex(digest.digest()));
  }

  /** The position of the last newline before {@code size}, or -1. */
  static long lastNewline(Path file, long size) throws IOException {
    if (size == 0) {
      return -1;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return lastNewlineBefore(channel, size);
    }
  }

  private static long lastNewlineBefore(FileChannel channel, long limit) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    long end = limit;
    while (end > 0) {
      long start = Math.max(0, end - CHUNK);
      buffer.clear().limit((int) (end - start));
      readFully(channel, buffer, start);
      for (int i = (int) (end - start) - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return start + i;
        }
      }
      end = start;
    }
    return -1;
  }

  /** The line whose newline is at {@code end - 1}, without the newline. */
  private static byte[] lineEndingAt(Path file, long end) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long start = lastNewlineBefore(channel, end - 1) + 1;
      long length = end - 1 - start;
      if (length > Integer.MAX_VALUE - 16) {
        throw new IOException(file + ": line too long");
      }
      ByteBuffer line = ByteBuffer.allocate((int) length);
      readFully(channel, line, start);
      return line.array();
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new IOException("file shrank while reading");
      }
      at += read;
    }
  }
}
