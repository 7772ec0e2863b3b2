package dev.kgate.sim.stream.container;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The command line of GNU {@code tar} as far as {@code kubectl cp} and people use it: old-style
 * bundles without a dash ({@code tar cf - PATH}), short-option bundles ({@code -xmf -}), {@code -C
 * DIR}, {@code -v}, and the long options {@code kubectl cp --no-preserve} adds. Letters that take a
 * value ({@code f}, {@code C}) take it from the rest of a dash bundle, or else from the next
 * argument, in order, as GNU tar does.
 */
record TarOptions(char mode, String archive, String directory, boolean verbose,
    boolean samePermissions, List<String> operands) {

  private static final Set<String> IGNORED_LONG_OPTIONS = Set.of(
      "--no-same-owner", "--same-owner", "--numeric-owner", "--touch", "--overwrite");

  /** The parsed options, or the message GNU tar prints for a command line it refuses. */
  record Parsed(Optional<TarOptions> options, String error) {}

  static Parsed parse(List<String> args) {
    Deque<String> rest = new ArrayDeque<>(args);
    char mode = 0;
    String archive = null;
    String directory = null;
    boolean verbose = false;
    boolean samePermissions = true;
    List<String> operands = new ArrayList<>();
    boolean first = true;
    while (!rest.isEmpty()) {
      String arg = rest.poll();
      boolean oldStyle = first && !arg.startsWith("-");
      first = false;
      if (arg.startsWith("--")) {
        if (arg.equals("--no-same-permissions")) {
          samePermissions = false;
        } else if (arg.equals("--same-permissions") || arg.equals("--preserve-permissions")) {
          samePermissions = true;
        } else if (arg.startsWith("--directory=")) {
          directory = arg.substring("--directory=".length());
        } else if (arg.startsWith("--file=")) {
          archive = arg.substring("--file=".length());
        } else if (!IGNORED_LONG_OPTIONS.contains(arg)) {
          return error("tar: unrecognized option '" + arg + "'");
        }
        continue;
      }
      if (!oldStyle && (!arg.startsWith("-") || arg.equals("-"))) {
        operands.add(arg);
        continue;
      }
      String letters = oldStyle ? arg : arg.substring(1);
      for (int i = 0; i < letters.length(); i++) {
        char letter = letters.charAt(i);
        switch (letter) {
          case 'c':
          case 'x':
          case 't':
            if (mode != 0 && mode != letter) {
              return error("tar: You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option");
            }
            mode = letter;
            break;
          case 'f':
          case 'C': {
            String value;
            if (!oldStyle && i + 1 < letters.length()) {
              value = letters.substring(i + 1);
              i = letters.length();
            } else if (!rest.isEmpty()) {
              value = rest.poll();
            } else {
              return error("tar: option requires an argument -- '" + letter + "'");
            }
            if (letter == 'f') {
              archive = value;
            } else {
              directory = value;
            }
            break;
          }
          case 'v':
            verbose = true;
            break;
          case 'p':
            samePermissions = true;
            break;
          case 'm':
          case 'o':
            break;
          default:
            return error("tar: invalid option -- '" + letter + "'");
        }
      }
    }
    if (mode == 0) {
      return error("tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
    }
    return new Parsed(Optional.of(new TarOptions(mode, archive == null ? "-" : archive, directory,
        verbose, samePermissions, List.copyOf(operands))), null);
  }

  private static Parsed error(String message) {
    return new Parsed(Optional.empty(), message + "\nTry 'tar --help' or 'tar --usage' for more information.\n");
  }
}
