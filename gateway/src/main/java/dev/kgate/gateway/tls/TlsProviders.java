package dev.kgate.gateway.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * Picks the TLS implementation: OpenSSL (netty-tcnative BoringSSL) when it loaded and can do
 * TLS 1.3 and ALPN, because it is markedly cheaper per handshake and per byte than the JDK's
 * engine; otherwise the JDK, which does both on every supported Java version.
 */
public final class TlsProviders {

  /** The protocols kgate speaks on both sides; TLS 1.1 and older are refused. */
  static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private TlsProviders() {}

  /** The provider to use for new contexts in this JVM. */
  public static SslProvider preferred() {
    if (OpenSsl.isAvailable()
        && SslProvider.isAlpnSupported(SslProvider.OPENSSL)
        && SslProvider.isTlsv13Supported(SslProvider.OPENSSL)) {
      return SslProvider.OPENSSL;
    }
    return SslProvider.JDK;
  }
}
