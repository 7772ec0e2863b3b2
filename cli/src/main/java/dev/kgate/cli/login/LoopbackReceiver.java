package dev.kgate.cli.login;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The redirect target of a native app's login (RFC 8252 §7.3): a one-shot HTTP listener on
 * {@code http://127.0.0.1:<free port>/callback}. Bound to the loopback address only (never all
 * interfaces), it takes the first callback whose {@code state} matches and ignores the rest, so a
 * page that guesses the port cannot feed it a code of its own.
 */
final class LoopbackReceiver implements AutoCloseable {

  static final String PATH = "/callback";

  private final HttpServer server;
  private final String expectedState;
  private final CompletableFuture<Map<String, String>> callback = new CompletableFuture<>();
  private final AtomicBoolean claimed = new AtomicBoolean();

  private LoopbackReceiver(HttpServer server, String expectedState) {
    this.server = server;
    this.expectedState = expectedState;
  }

  static LoopbackReceiver start(String expectedState) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      LoopbackReceiver receiver = new LoopbackReceiver(server, expectedState);
      server.createContext(PATH, receiver::handle);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new IdpException("loopback", "cannot listen on 127.0.0.1 for the login callback: " + e.getMessage(), e);
    }
  }

  URI redirectUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** Waits for the callback's parameters ({@code code}, or {@code error} and {@code error_description}). */
  Map<String, String> await(Duration timeout) {
    try {
      return callback.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IdpException("timeout", "no login callback within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IdpException("loopback", "the login callback failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IdpException("interrupted", "interrupted while waiting for the login callback");
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod()) || !PATH.equals(exchange.getRequestURI().getPath())) {
        respond(exchange, 404, "Not found.");
        return;
      }
      Map<String, String> parameters = query(exchange.getRequestURI().getRawQuery());
      if (!expectedState.equals(parameters.get("state"))) {
        respond(exchange, 400, "This login callback does not belong to the running kgate login.");
        return;
      }
      boolean first = claimed.compareAndSet(false, true);
      String page = !first ? "This login was already handled."
          : parameters.containsKey("error") ? "Login failed; see the terminal."
          : "Logged in. You can close this window and return to the terminal.";
      // Answer the browser before handing over the code: the login ends (and the process may exit)
      // as soon as it has the code, which would cut the browser's answer off.
      try {
        respond(exchange, 200, page);
      } finally {
        if (first) {
          callback.complete(parameters);
        }
      }
    }
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = ("<!doctype html><meta charset=utf-8><title>kgate login</title><p>" + text + "</p>")
        .getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      parameters.putIfAbsent(key, value);
    }
    return parameters;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
