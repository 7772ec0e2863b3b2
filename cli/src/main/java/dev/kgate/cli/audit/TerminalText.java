package dev.kgate.cli.audit;

/**
 * Text from the log made safe to print on a terminal. Usernames, resource names, URIs and chain
 * names are chosen by whoever sent the request or owns the token; a control character in one of
 * them (an ANSI escape, a carriage return) could move the cursor, hide or rewrite earlier lines, or
 * send commands to the reviewer's terminal. Each is printed as a visible {@code \xNN} escape.
 */
final class TerminalText {

  private TerminalText() {}

  static String safe(String text) {
    StringBuilder safe = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c)) {
        if (safe == null) {
          safe = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        safe.append(String.format("\\x%02x", (int) c));
      } else if (safe != null) {
        safe.append(c);
      }
    }
    return safe == null ? text : safe.toString();
  }
}
