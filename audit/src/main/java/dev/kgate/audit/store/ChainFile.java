package dev.kgate.audit.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One file of a chain: {@code <yyyy-mm-dd>.jsonl} for the first file of a (UTC) day, {@code
 * <yyyy-mm-dd>.<N>.jsonl} for the N-th one after size rotation. Chain order is (date, index).
 *
 * @param date  the day the file was started
 * @param index 0 for the day's first file, then 1, 2, …
 */
public record ChainFile(LocalDate date, int index) implements Comparable<ChainFile> {

  private static final Pattern NAME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})(?:\\.(\\d{1,6}))?\\.jsonl");
  private static final Comparator<ChainFile> ORDER =
      Comparator.comparing(ChainFile::date).thenComparingInt(ChainFile::index);

  /** The file name. */
  public String name() {
    return index == 0 ? date + ".jsonl" : date + "." + index + ".jsonl";
  }

  /** The next file after this one, started on {@code today} (never going back in time). */
  public ChainFile next(LocalDate today) {
    return today.isAfter(date) ? new ChainFile(today, 0) : new ChainFile(date, index + 1);
  }

  /** The chain file a name denotes, if it is one. */
  public static Optional<ChainFile> parse(String name) {
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    try {
      int index = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
      if (matcher.group(2) != null && index == 0) {
        return Optional.empty();
      }
      return Optional.of(new ChainFile(LocalDate.parse(matcher.group(1)), index));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The chain files in a directory, in chain order. */
  public static List<ChainFile> list(Path dir) throws IOException {
    List<ChainFile> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(Files::isRegularFile)
          .map(path -> parse(path.getFileName().toString()))
          .flatMap(Optional::stream)
          .forEach(files::add);
    }
    files.sort(ORDER);
    return files;
  }

  @Override
  public int compareTo(ChainFile other) {
    return ORDER.compare(this, other);
  }
}
