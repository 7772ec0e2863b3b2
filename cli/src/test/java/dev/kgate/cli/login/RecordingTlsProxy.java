package dev.kgate.cli.login;

import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * A TLS byte relay in front of the simulated IdP that keeps every byte the client sent. The
 * embedded IdP runs on Netty, where mock-oauth2-server's {@code takeRequest()} is not available,
 * so this is where the tests read what reached the IdP (PKCE verifier, grant types, how many token
 * requests). Its certificate comes from the IdP's CA; the IdP derives its issuer from the Host
 * header, which the relay leaves alone, so the issuer is {@code https://127.0.0.1:<relay port>/kgate}.
 */
final class RecordingTlsProxy implements AutoCloseable {

  private final SSLServerSocket server;
  private final URI upstream;
  private final SSLContext upstreamTls;
  private final List<StringBuffer> connections = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  RecordingTlsProxy(TestPki pki, URI upstream) throws Exception {
    this.upstream = upstream;
    this.upstreamTls = pki.jdkClientContext(null);
    IssuedCertificate serving = pki.issueServer("recording-proxy", List.of("localhost"), List.of("127.0.0.1"));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("proxy", serving.privateKey(), new char[0],
        new X509Certificate[] {serving.certificate(), pki.caCertificate()});
    KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, new char[0]);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(factory.getKeyManagers(), null, null);
    server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread acceptor = new Thread(this::accept, "recording-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Everything clients sent so far, connection after connection. */
  String sent() {
    StringBuilder all = new StringBuilder();
    connections.forEach(all::append);
    return all.toString();
  }

  /** How many requests start with {@code requestLinePrefix}, e.g. {@code "POST /kgate/token "}. */
  int count(String requestLinePrefix) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(requestLinePrefix)).matcher(sent());
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  void clear() {
    connections.clear();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket idp = upstreamTls.getSocketFactory().createSocket(upstream.getHost(), upstream.getPort());
        sockets.add(client);
        sockets.add(idp);
        StringBuffer record = new StringBuffer();
        connections.add(record);
        relay(client.getInputStream(), idp.getOutputStream(), record, client, idp);
        relay(idp.getInputStream(), client.getOutputStream(), null, client, idp);
      } catch (IOException e) {
        // closed, or one client gave up during the handshake
      }
    }
  }

  private static void relay(InputStream in, OutputStream out, StringBuffer record, Socket a, Socket b) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          if (record != null) {
            record.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        closeQuietly(a);
        closeQuietly(b);
      }
    }, "recording-proxy-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
    sockets.forEach(RecordingTlsProxy::closeQuietly);
  }
}
