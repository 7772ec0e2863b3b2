package dev.kgate.gateway.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Builds client {@link SslContext}s for connections to an API server. The cluster's CA bundle is
 * the only trust anchor (never the JDK's trust store: a public CA must not be able to vouch for a
 * cluster), hostname verification is always on ({@code HTTPS} endpoint identification, IP
 * literals against IP SANs), and ALPN offers {@code h2} only when the caller will speak HTTP/2 on
 * the connection; upgrade connections offer {@code http/1.1} alone, as kubectl does.
 */
public final class UpstreamTlsContexts {

  /** Endpoint identification algorithm that makes the trust manager check the server name. */
  static final String HOSTNAME_VERIFICATION = "HTTPS";

  private UpstreamTlsContexts() {}

  /**
   * @param trustedCas     CA certificates that may sign the API server's certificate; not empty
   * @param clientKeyPair  the gateway's client certificate, or null to present none
   * @param offerHttp2     whether ALPN offers {@code h2} before {@code http/1.1}
   * @param provider       TLS implementation ({@link TlsProviders#preferred()} in production)
   */
  public static SslContext forUpstream(
      List<X509Certificate> trustedCas,
      TlsKeyPair clientKeyPair,
      boolean offerHttp2,
      SslProvider provider)
      throws SSLException {
    Objects.requireNonNull(provider, "provider");
    if (trustedCas.isEmpty()) {
      throw new IllegalArgumentException("an upstream context needs at least one trusted CA");
    }
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .sslProvider(provider)
            .trustManager(trustedCas)
            .endpointIdentificationAlgorithm(HOSTNAME_VERIFICATION)
            .protocols(TlsProviders.PROTOCOLS)
            .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(alpn(offerHttp2));
    if (clientKeyPair != null) {
      builder.keyManager(clientKeyPair.key(), clientKeyPair.chain());
    }
    return builder.build();
  }

  private static ApplicationProtocolConfig alpn(boolean offerHttp2) {
    String[] protocols =
        offerHttp2
            ? new String[] {ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1}
            : new String[] {ApplicationProtocolNames.HTTP_1_1};
    return new ApplicationProtocolConfig(
        Protocol.ALPN,
        SelectorFailureBehavior.NO_ADVERTISE,
        SelectedListenerFailureBehavior.ACCEPT,
        protocols);
  }
}
