package dev.kgate.cli.login;

import java.net.URI;

/** Shows the authorization URL to the person; the tests act as the browser instead. */
@FunctionalInterface
interface BrowserOpener {

  /** Tries to open {@code uri}; false when nothing was opened and the URL must be printed. */
  boolean open(URI uri);

  /** Never opens anything ({@code --no-browser}, or no desktop). */
  static BrowserOpener none() {
    return uri -> false;
  }

  /**
   * The person's browser: the command in {@code $BROWSER} when set (the Unix convention
   * {@code xdg-open} and Python's {@code webbrowser} follow: a {@code :}-separated list, the URL
   * replacing {@code %s} or else appended), else the desktop's.
   */
  static BrowserOpener system(String browserVariable) {
    if (browserVariable == null || browserVariable.isBlank()) {
      return desktop();
    }
    return uri -> {
      for (String command : browserVariable.split(":")) {
        if (command.isBlank()) {
          continue;
        }
        try {
          java.util.List<String> words = new java.util.ArrayList<>(java.util.List.of(command.trim().split("\\s+")));
          if (words.contains("%s")) {
            words.replaceAll(word -> word.equals("%s") ? uri.toString() : word);
          } else {
            words.add(uri.toString());
          }
          // The browser's own output must not reach kubectl, which reads the plugin's stdout.
          Process process = new ProcessBuilder(words).redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD).start();
          process.getOutputStream().close();
          return true;
        } catch (java.io.IOException e) {
          // not installed: try the next one
        }
      }
      return false;
    };
  }

  /** The desktop's browser through {@code java.awt.Desktop}, when there is a desktop. */
  static BrowserOpener desktop() {
    return uri -> {
      try {
        // AWT loads only here, on an interactive login, never on the exec plugin's cached path.
        if (java.awt.GraphicsEnvironment.isHeadless() || !java.awt.Desktop.isDesktopSupported()) {
          return false;
        }
        java.awt.Desktop desktop = java.awt.Desktop.getDesktop();
        if (!desktop.isSupported(java.awt.Desktop.Action.BROWSE)) {
          return false;
        }
        desktop.browse(uri);
        return true;
      } catch (Exception | LinkageError e) {
        return false;
      }
    };
  }
}
