package dev.kgate.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Recognises "address already in use", so that a taken port is one plain line for the user rather
 * than a failure to debug. Netty's native transport reports it as an IOException whose message
 * carries the errno text rather than as a {@link BindException}, hence the message check.
 */
final class AddressInUse {

  private AddressInUse() {}

  static boolean causedBy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.contains("Address already in use")) {
        return true;
      }
    }
    return false;
  }

  /** Whether something already listens on {@code host:port} (port 0 is always free). */
  static boolean isTaken(String host, int port) {
    if (port == 0) {
      return false;
    }
    try (ServerSocket probe = new ServerSocket()) {
      // Like a server would: a socket left in TIME_WAIT does not make the port "taken".
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(host, port));
      return false;
    } catch (BindException e) {
      return true;
    } catch (IOException e) {
      // Not a taken port; starting the server will report what is wrong.
      return false;
    }
  }
}
