package dev.kgate.sim.stream.container;

import dev.kgate.sim.stream.container.InMemoryFileSystem.Entry;
import dev.kgate.sim.stream.container.InMemoryFileSystem.FsResult;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one-shot commands of the simulated container, with the output and exit codes of their
 * coreutils/busybox namesakes for the forms people type: {@code echo}, {@code ls}, {@code
 * hostname}, {@code env}, {@code date}, {@code test}, {@code pwd}, {@code mkdir}, {@code rm},
 * {@code uname}, {@code whoami}, {@code true}, {@code false}.
 */
final class Coreutils {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss 'UTC' yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter LS_TIME =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Coreutils() {}

  static int echo(List<String> args, ProcessContext context, CommandOutput output) {
    boolean newline = true;
    List<String> words = args;
    if (!words.isEmpty() && words.get(0).equals("-n")) {
      newline = false;
      words = words.subList(1, words.size());
    }
    output.out(String.join(" ", words) + (newline ? "\n" : ""));
    return 0;
  }

  static int hostname(List<String> args, ProcessContext context, CommandOutput output) {
    output.out(context.container().pod() + "\n");
    return 0;
  }

  static int env(List<String> args, ProcessContext context, CommandOutput output) {
    new TreeMap<>(context.env()).forEach((name, value) -> output.out(name + "=" + value + "\n"));
    return 0;
  }

  static int date(List<String> args, ProcessContext context, CommandOutput output) {
    output.out(DATE.format(context.container().clock().instant()) + "\n");
    return 0;
  }

  static int pwd(List<String> args, ProcessContext context, CommandOutput output) {
    output.out(context.cwd() + "\n");
    return 0;
  }

  static int whoami(List<String> args, ProcessContext context, CommandOutput output) {
    output.out("root\n");
    return 0;
  }

  static int uname(List<String> args, ProcessContext context, CommandOutput output) {
    if (args.contains("-a")) {
      output.out("Linux " + context.container().pod() + " 6.1.0-kgate-sim #1 SMP x86_64 GNU/Linux\n");
    } else if (args.contains("-n")) {
      output.out(context.container().pod() + "\n");
    } else {
      output.out("Linux\n");
    }
    return 0;
  }

  static int succeed(List<String> args, ProcessContext context, CommandOutput output) {
    return 0;
  }

  static int fail(List<String> args, ProcessContext context, CommandOutput output) {
    return 1;
  }

  /** {@code cd} run inside a pipeline: a subshell's cd changes nothing but still checks its target. */
  static int cdInSubshell(List<String> args, ProcessContext context, CommandOutput output) {
    String target = args.isEmpty() ? context.env().getOrDefault("HOME", "/") : args.get(0);
    if (!context.fs().isDirectory(context.resolve(target))) {
      output.err("sh: cd: can't cd to " + target + ": No such file or directory\n");
      return 2;
    }
    return 0;
  }

  static int ls(List<String> args, ProcessContext context, CommandOutput output) {
    boolean all = false;
    boolean longFormat = false;
    List<String> paths = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-") && arg.length() > 1) {
        all |= arg.indexOf('a') >= 0 || arg.indexOf('A') >= 0;
        longFormat |= arg.indexOf('l') >= 0;
      } else {
        paths.add(arg);
      }
    }
    if (paths.isEmpty()) {
      paths.add(".");
    }
    InMemoryFileSystem fs = context.fs();
    int code = 0;
    List<String> files = new ArrayList<>();
    List<String> directories = new ArrayList<>();
    for (String path : paths) {
      Optional<Entry> entry = fs.stat(context.resolve(path));
      if (entry.isEmpty()) {
        output.err("ls: cannot access '" + path + "': No such file or directory\n");
        code = 2;
      } else if (entry.get().directory()) {
        directories.add(path);
      } else {
        files.add(path);
      }
    }
    for (String file : files) {
      output.out(longFormat ? longLine(fs.stat(context.resolve(file)).orElseThrow(), file) : file + "\n");
    }
    boolean headers = paths.size() > 1;
    for (int i = 0; i < directories.size(); i++) {
      String directory = directories.get(i);
      String resolved = context.resolve(directory);
      if (headers) {
        output.out((i > 0 || !files.isEmpty() ? "\n" : "") + directory + ":\n");
      }
      List<String> names = new ArrayList<>(fs.list(resolved).orElse(List.of()));
      if (all) {
        names.add(0, "..");
        names.add(0, ".");
      }
      for (String name : names) {
        if (!longFormat) {
          output.out(name + "\n");
          continue;
        }
        String child = name.equals(".") ? resolved
            : name.equals("..") ? InMemoryFileSystem.parentOf(resolved)
            : InMemoryFileSystem.resolve(resolved, name);
        fs.stat(child).ifPresent(entry -> output.out(longLine(entry, name)));
      }
    }
    return code;
  }

  private static String longLine(Entry entry, String name) {
    return String.format(Locale.ROOT, "%s    1 root     root     %9d %s %s%n",
        permissions(entry), entry.size(), LS_TIME.format(entry.modified()), name);
  }

  private static String permissions(Entry entry) {
    StringBuilder text = new StringBuilder(entry.directory() ? "d" : "-");
    String letters = "rwx";
    for (int bit = 8; bit >= 0; bit--) {
      text.append((entry.mode() & (1 << bit)) != 0 ? letters.charAt((8 - bit) % 3) : '-');
    }
    return text.toString();
  }

  static int mkdir(List<String> args, ProcessContext context, CommandOutput output) {
    boolean parents = args.contains("-p");
    int code = 0;
    for (String arg : args) {
      if (arg.startsWith("-")) {
        continue;
      }
      FsResult result = context.fs().mkdir(context.resolve(arg), parents);
      if (result != FsResult.OK) {
        output.err("mkdir: can't create directory '" + arg + "': " + describe(result) + "\n");
        code = 1;
      }
    }
    return code;
  }

  static int rm(List<String> args, ProcessContext context, CommandOutput output) {
    boolean recursive = false;
    boolean force = false;
    List<String> paths = new ArrayList<>();
    for (String arg : args) {
      if (arg.startsWith("-") && arg.length() > 1) {
        recursive |= arg.indexOf('r') >= 0 || arg.indexOf('R') >= 0;
        force |= arg.indexOf('f') >= 0;
      } else {
        paths.add(arg);
      }
    }
    int code = 0;
    for (String path : paths) {
      String resolved = context.resolve(path);
      if (context.fs().isDirectory(resolved) && !recursive) {
        output.err("rm: '" + path + "' is a directory\n");
        code = 1;
        continue;
      }
      FsResult result = context.fs().remove(resolved, recursive);
      if (result != FsResult.OK && !(force && result == FsResult.NO_SUCH_FILE)) {
        output.err("rm: can't remove '" + path + "': " + describe(result) + "\n");
        code = 1;
      }
    }
    return code;
  }

  /** {@code test} and {@code [}: file tests, string tests and negation, exit 0 (true), 1 or 2 (error). */
  static int test(List<String> args, ProcessContext context, CommandOutput output) {
    List<String> operands = new ArrayList<>(args);
    if (!operands.isEmpty() && operands.get(operands.size() - 1).equals("]")) {
      operands.remove(operands.size() - 1);
    }
    boolean negate = false;
    while (!operands.isEmpty() && operands.get(0).equals("!")) {
      negate = !negate;
      operands.remove(0);
    }
    Optional<Boolean> result = evaluate(operands, context);
    if (result.isEmpty()) {
      output.err("sh: test: syntax error: " + String.join(" ", args) + "\n");
      return 2;
    }
    return result.get() != negate ? 0 : 1;
  }

  private static Optional<Boolean> evaluate(List<String> operands, ProcessContext context) {
    InMemoryFileSystem fs = context.fs();
    switch (operands.size()) {
      case 0:
        return Optional.of(false);
      case 1:
        return Optional.of(!operands.get(0).isEmpty());
      case 2: {
        String operand = operands.get(1);
        Map<String, Boolean> unary = Map.of(
            "-d", fs.isDirectory(context.resolve(operand)),
            "-f", fs.isFile(context.resolve(operand)),
            "-e", fs.exists(context.resolve(operand)),
            "-s", fs.read(context.resolve(operand)).map(bytes -> bytes.length > 0).orElse(false),
            "-n", !operand.isEmpty(),
            "-z", operand.isEmpty());
        return Optional.ofNullable(unary.get(operands.get(0)));
      }
      case 3:
        switch (operands.get(1)) {
          case "=":
            return Optional.of(operands.get(0).equals(operands.get(2)));
          case "!=":
            return Optional.of(!operands.get(0).equals(operands.get(2)));
          default:
            return Optional.empty();
        }
      default:
        return Optional.empty();
    }
  }

  static String describe(FsResult result) {
    switch (result) {
      case NO_SUCH_FILE:
        return "No such file or directory";
      case NOT_A_DIRECTORY:
        return "Not a directory";
      case IS_A_DIRECTORY:
        return "Is a directory";
      case ALREADY_EXISTS:
        return "File exists";
      case NOT_EMPTY:
        return "Directory not empty";
      default:
        return "Success";
    }
  }
}
