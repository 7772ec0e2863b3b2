package dev.kgate.gateway.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.NetUtil;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One API server, resolved from its configuration: where to connect, what to call it in TLS and
 * {@code Host}, how long to wait, and the gateway's own credential. Both TLS contexts (with and
 * without {@code h2} in ALPN) are built once when the target is resolved, so opening a connection
 * costs a handshake and nothing else. The server certificate must chain to the cluster's CA bundle
 * and carry the expected name ({@code tlsServerName}, else the URL's host; an IP literal is
 * matched against IP SANs). Closing the target stops its credential's background refresh.
 */
public final class UpstreamTarget implements AutoCloseable {

  private static final int HTTPS_PORT = 443;

  private final String clusterName;
  private final String host;
  private final int port;
  private final String basePath;
  private final String tlsServerName;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final UpstreamCredential credential;
  private final SslContext http2Context;
  private final SslContext http1Context;

  /**
   * @param server        https URL, already validated, without a trailing '/'
   * @param tlsServerName the name the certificate must carry, or null for the URL's host
   */
  UpstreamTarget(
      String clusterName,
      URI server,
      String tlsServerName,
      Duration connectTimeout,
      Duration idleTimeout,
      UpstreamCredential credential,
      SslContext http2Context,
      SslContext http1Context) {
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(server, "server");
    this.host = stripBrackets(Objects.requireNonNull(server.getHost(), "server host"));
    this.port = server.getPort() == -1 ? HTTPS_PORT : server.getPort();
    this.basePath = server.getRawPath() == null ? "" : server.getRawPath();
    this.tlsServerName = tlsServerName;
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
    this.credential = Objects.requireNonNull(credential, "credential");
    this.http2Context = Objects.requireNonNull(http2Context, "http2Context");
    this.http1Context = Objects.requireNonNull(http1Context, "http1Context");
  }

  public String clusterName() {
    return clusterName;
  }

  /** Host name or IP literal to connect to (IPv6 without brackets). */
  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** The server URL's path: "" or "/prefix", never with a trailing '/'. */
  public String basePath() {
    return basePath;
  }

  /** {@code host:port} for {@code Host} and {@code :authority} (IPv6 in brackets). */
  public String authority() {
    return (NetUtil.isValidIpV6Address(host) ? "[" + host + "]" : host) + ":" + port;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** How long an unused pooled connection stays open (below the API server's own 90 s). */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  public UpstreamCredential credential() {
    return credential;
  }

  /**
   * A new client-side {@link SslHandler} for one connection to this API server.
   *
   * @param offerHttp2 whether ALPN offers {@code h2} (plain requests) or only {@code http/1.1}
   *     (upgrades: exec, attach, port-forward)
   */
  public SslHandler newSslHandler(ByteBufAllocator alloc, boolean offerHttp2) {
    String expectedName = tlsServerName != null ? tlsServerName : host;
    SslContext context = offerHttp2 ? http2Context : http1Context;
    SslHandler handler = context.newHandler(alloc, expectedName, port);
    if (!NetUtil.isValidIpV4Address(expectedName) && !NetUtil.isValidIpV6Address(expectedName)) {
      requestServerName(handler.engine(), expectedName);
    }
    return handler;
  }

  /**
   * Sends SNI for every host name: the JDK and OpenSSL engines only do so on their own for names
   * with a dot, which leaves out single-label names such as {@code localhost} or a Service name.
   */
  private static void requestServerName(SSLEngine engine, String name) {
    SNIHostName serverName;
    try {
      serverName = new SNIHostName(name);
    } catch (IllegalArgumentException e) {
      return; // not a name SNI can carry; hostname verification still applies
    }
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(serverName));
    engine.setSSLParameters(parameters);
  }

  /** Stops background work (token file checks) of this target's credential. */
  @Override
  public void close() {
    if (credential instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the credential of cluster " + clusterName, e);
      }
    }
  }

  @Override
  public String toString() {
    return "UpstreamTarget[" + clusterName + " " + authority() + basePath + "]";
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
