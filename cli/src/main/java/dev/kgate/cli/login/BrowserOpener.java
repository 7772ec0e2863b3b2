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
