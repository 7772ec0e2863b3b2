package dev.kgate.gateway.tls;

import dev.kgate.gateway.config.GatewayConfig;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Builds the listener's {@link SslContext}: TLS 1.3 and 1.2 only, HTTP/2-safe cipher suites, and
 * ALPN offering {@code h2} then {@code http/1.1}. kubectl opens every exec, attach, cp and
 * port-forward connection with no ALPN extension at all (PROTOCOLS.md §10), so a client that
 * offers nothing is accepted and handled as HTTP/1.1 ({@code NO_ADVERTISE}/{@code ACCEPT}) rather
 * than refused. Client certificates are requested per {@link GatewayConfig.ClientAuth} and
 * verified against {@code clientCa} only.
 */
public final class ServerTlsContexts {

  private ServerTlsContexts() {}

  /** The listener context, on the preferred provider (OpenSSL when available, else the JDK). */
  public static SslContext forListener(GatewayConfig.Tls tls) {
    return forListener(tls, TlsProviders.preferred());
  }

  /** The listener context on a chosen provider (tests run both). */
  public static SslContext forListener(GatewayConfig.Tls tls, SslProvider provider) {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(provider, "provider");
    PrivateKey key = read("listen.tls.key", tls.key(), PemFiles::readPrivateKey);
    List<X509Certificate> chain = read("listen.tls.cert", tls.cert(), PemFiles::readCertificates);
    try {
      PemFiles.requireMatchingKey(key, chain.get(0));
    } catch (PemException e) {
      throw new TlsSetupException("listen.tls.key: " + e.getMessage(), e);
    }
    SslContextBuilder builder =
        SslContextBuilder.forServer(key, chain)
            .sslProvider(provider)
            .protocols(TlsProviders.PROTOCOLS)
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(alpn());
    configureClientAuth(builder, tls);
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new TlsSetupException("listener TLS context: " + e.getMessage(), e);
    }
  }

  private static void configureClientAuth(SslContextBuilder builder, GatewayConfig.Tls tls) {
    switch (tls.clientAuth()) {
      case NONE:
        builder.clientAuth(ClientAuth.NONE);
        return;
      case OPTIONAL:
        builder.clientAuth(ClientAuth.OPTIONAL);
        break;
      case REQUIRE:
        builder.clientAuth(ClientAuth.REQUIRE);
        break;
      default:
        throw new IllegalStateException("unhandled client auth " + tls.clientAuth());
    }
    if (tls.clientCa() == null) {
      // The loader rejects this; without the check the JDK trust store would vouch for clients.
      throw new TlsSetupException(
          "listen.tls.clientCa: required when clientAuth is " + tls.clientAuth(), null);
    }
    builder.trustManager(read("listen.tls.clientCa", tls.clientCa(), PemFiles::readCertificates));
  }

  private static ApplicationProtocolConfig alpn() {
    return new ApplicationProtocolConfig(
        Protocol.ALPN,
        SelectorFailureBehavior.NO_ADVERTISE,
        SelectedListenerFailureBehavior.ACCEPT,
        ApplicationProtocolNames.HTTP_2,
        ApplicationProtocolNames.HTTP_1_1);
  }

  private static <T> T read(String key, Path file, PemReader<T> reader) {
    try {
      return reader.read(file);
    } catch (PemException e) {
      throw new TlsSetupException(key + " (" + file + "): " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface PemReader<T> {
    T read(Path file) throws PemException;
  }
}
