package dev.kgate.cli.demo;

import java.util.regex.Pattern;

/** Quotes a word for a POSIX shell only when it needs it, so printed commands stay readable. */
final class ShellWords {

  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private ShellWords() {}

  static String quote(String word) {
    if (SAFE.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
