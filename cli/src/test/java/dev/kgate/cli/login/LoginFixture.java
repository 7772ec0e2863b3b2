package dev.kgate.cli.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.sim.idp.SimIdp;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;

/**
 * One {@link SimIdp} (mock-oauth2-server over TLS) with its CA written to a file, a browser that
 * is a test ({@link Browser}), and helpers to run the login commands and read what the IdP saw.
 */
final class LoginFixture implements AutoCloseable {

  final SimIdp idp;
  final RecordingTlsProxy proxy;
  final Path ca;
  final String issuer;
  final Browser browser;

  LoginFixture(Path dir) throws Exception {
    idp = SimIdp.start();
    proxy = new RecordingTlsProxy(idp.pki(), idp.issuer());
    ca = dir.resolve("idp-ca.pem");
    idp.writeCaPem(ca);
    issuer = "https://127.0.0.1:" + proxy.port() + "/" + SimIdp.ISSUER_ID;
    browser = new Browser(HttpClient.newBuilder().sslContext(idp.pki().jdkClientContext(null))
        .followRedirects(HttpClient.Redirect.NEVER).build());
    requests(); // drop the warm-up requests
  }

  /** A recorded request the IdP served, with its body read once. */
  record Seen(String method, String path, String body) {
    Map<String, String> form() {
      return LoopbackReceiver.query(body);
    }

    Map<String, String> query() {
      int q = path.indexOf('?');
      return LoopbackReceiver.query(q < 0 ? "" : path.substring(q + 1));
    }

    boolean isTokenRequest() {
      return "POST".equals(method) && path.endsWith("/token");
    }
  }

  /** Every request the IdP received through the recording proxy since the last call. */
  List<Seen> requests() {
    String sent = proxy.sent();
    proxy.clear();
    List<Seen> seen = new ArrayList<>();
    int at = 0;
    while (true) {
      int headersEnd = sent.indexOf("\r\n\r\n", at);
      if (headersEnd < 0) {
        return seen;
      }
      String[] lines = sent.substring(at, headersEnd).split("\r\n");
      String[] requestLine = lines[0].split(" ");
      int length = 0;
      for (String header : lines) {
        if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(header.substring(header.indexOf(':') + 1).trim());
        }
      }
      int bodyStart = headersEnd + 4;
      seen.add(new Seen(requestLine[0], requestLine[1], sent.substring(bodyStart, Math.min(sent.length(), bodyStart + length))));
      at = bodyStart + length;
    }
  }

  LoginTarget target(Path cacheDir) {
    return new LoginTarget(null, issuer, IssuerOptions.DEFAULT_CLIENT_ID, null, ca, null, cacheDir);
  }

  LoginEnvironment environment(Map<String, String> env, BooleanSupplier terminal) {
    return new LoginEnvironment(Clock.systemUTC(), browser, d -> {}, env::get, terminal);
  }

  /** Logs in through the browser flow and returns what was cached. */
  TokenSet login(Path cacheDir) {
    LoginTarget options = target(cacheDir);
    LoginEnvironment environment = environment(Map.of(), () -> false);
    Credentials credentials = new Credentials(options.cache(), options.client(environment), Clock.systemUTC());
    return credentials.fresh(client -> new AuthorizationCodeFlow(client, browser, new PrintWriter(new StringWriter()),
        Duration.ofSeconds(20)).login(AuthParameters.defaults()));
  }

  /** Runs a command object as picocli would, keeping its output. */
  static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = commandLine.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  record Run(int exitCode, String out, String err) {}

  static String[] args(LoginFixture fixture, Path cacheDir, String... more) {
    List<String> all = new ArrayList<>(List.of("--issuer", fixture.issuer, "--ca", fixture.ca.toString(),
        "--cache-dir", cacheDir.toString()));
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }

  @Override
  public void close() {
    proxy.close();
    idp.close();
  }

  /**
   * Acts as the person's browser: GETs the authorization URL (mock-oauth2-server answers with a
   * redirect carrying the code, no login page), then follows the redirect to the loopback
   * listener. Keeps the URLs it was given and the callback's status.
   */
  static final class Browser implements BrowserOpener {
    final List<URI> opened = new CopyOnWriteArrayList<>();
    final List<Integer> callbackStatuses = new CopyOnWriteArrayList<>();
    private final HttpClient http;
    /** When set, replaces the callback query the IdP sent (to forge state, inject errors). */
    volatile java.util.function.UnaryOperator<String> tamper = q -> q;

    Browser(HttpClient http) {
      this.http = http;
    }

    @Override
    public boolean open(URI uri) {
      opened.add(uri);
      try {
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (authorize.statusCode() == 200) {
          // prompt=login: mock-oauth2-server shows its login form; fill it in as alice.
          authorize = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString("username=alice")).build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(authorize.statusCode()).as("the IdP redirects back with a code").isEqualTo(302);
        URI callback = URI.create(authorize.headers().firstValue("Location").orElseThrow());
        URI delivered = URI.create(callback.getScheme() + "://" + callback.getRawAuthority() + callback.getRawPath()
            + "?" + tamper.apply(callback.getRawQuery()));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(delivered).build(), HttpResponse.BodyHandlers.ofString());
        callbackStatuses.add(answer.statusCode());
        return true;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static String readCache(Path cacheDir, String issuer) throws IOException {
    return Files.readString(new TokenCache(cacheDir, issuer, IssuerOptions.DEFAULT_CLIENT_ID).file());
  }
}
