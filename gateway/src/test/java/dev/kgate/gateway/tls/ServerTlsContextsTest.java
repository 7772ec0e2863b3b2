package dev.kgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.config.GatewayConfig.ClientAuth;
import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.TestPki;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServerTlsContextsTest {

  @TempDir static Path dir;
  static TestPki pki;
  static IssuedCertificate client;
  static GatewayConfig.Tls plainTls;
  static EventLoopGroup clientGroup;

  @BeforeAll
  static void writeCertificates() {
    pki = TestPki.create("listener-ca");
    pki.issueServer("gateway", List.of("localhost"), List.of("127.0.0.1"))
        .writePem(dir.resolve("tls.crt"), dir.resolve("tls.key"), KeyFormat.SEC1_EC);
    pki.writeCaPem(dir.resolve("client-ca.crt"));
    client = pki.issueClient("alice", List.of("sre"));
    plainTls = new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("tls.key"), null);
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopClients() throws InterruptedException {
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  static Stream<SslProvider> providers() {
    return OpenSsl.isAvailable() ? Stream.of(SslProvider.OPENSSL, SslProvider.JDK) : Stream.of(SslProvider.JDK);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aJdkClientNegotiatesTls13AndH2(SslProvider provider) throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(plainTls, provider))) {
      String line = exchange(server, null, new String[] {"TLSv1.3", "TLSv1.2"}, "h2", "http/1.1");

      assertThat(line).as("protocol and ALPN as the client saw them").isEqualTo("TLSv1.3 h2");
      assertThat(server.nextHandshake().alpn()).isEqualTo("h2");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void tls12Works(SslProvider provider) throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(plainTls, provider))) {
      assertThat(exchange(server, null, new String[] {"TLSv1.2"}, "h2", "http/1.1")).isEqualTo("TLSv1.2 h2");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aClientWithoutAlpnIsAccepted(SslProvider provider) throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(plainTls, provider))) {
      String line = exchange(server, null, new String[] {"TLSv1.3"});

      assertThat(line).as("no protocol negotiated: the gateway falls back to HTTP/1.1").isEqualTo("TLSv1.3 ");
      assertThat(server.nextHandshake().success()).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aClientOfferingOnlyHttp11GetsHttp11(SslProvider provider) throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(plainTls, provider))) {
      assertThat(exchange(server, null, new String[] {"TLSv1.3"}, "http/1.1")).isEqualTo("TLSv1.3 http/1.1");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void tls11IsRefused(SslProvider provider) throws Exception {
    assumeThat(OpenSsl.isAvailable()).as("a TLS 1.1 client needs BoringSSL; the JDK disables 1.1").isTrue();
    SslContext tls11Client =
        SslContextBuilder.forClient()
            .sslProvider(SslProvider.OPENSSL)
            .trustManager(pki.caCertificate())
            .protocols("TLSv1.1")
            .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
            .build();
    SslContext permissive =
        SslContextBuilder.forServer(dir.resolve("tls.crt").toFile(), dir.resolve("tls.key").toFile())
            .sslProvider(SslProvider.OPENSSL)
            .protocols("TLSv1.1", "TLSv1.2")
            .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
            .build();

    try (TlsTestServer control = new TlsTestServer(permissive);
        TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(plainTls, provider))) {
      Future<Channel> control11 = nettyHandshake(tls11Client, control.port());
      assertThat(control11.isSuccess())
          .as("the client really speaks TLS 1.1 (control server): %s", control11.cause())
          .isTrue();
      Future<Channel> refused = nettyHandshake(tls11Client, server.port());
      assertThat(refused.isSuccess()).as("the listener refuses TLS 1.1").isFalse();
      assertThat(refused.cause())
          .as("refused for its protocol version, not for want of a common cipher")
          .isInstanceOf(SSLException.class)
          .extracting(Throwable::getMessage)
          .asString()
          .containsIgnoringCase("protocol_version");
    }
  }

  @ParameterizedTest
  @MethodSource("providers")
  void requiredClientCertificatesAreVerifiedAgainstTheClientCa(SslProvider provider) throws Exception {
    GatewayConfig.Tls tls =
        new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("client-ca.crt"), ClientAuth.REQUIRE);
    IssuedCertificate stranger = TestPki.create("other-ca").issueClient("mallory", List.of());

    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(tls, provider))) {
      assertThat(exchange(server, pki.jdkClientContext(client), new String[] {"TLSv1.3"}, "h2"))
          .isEqualTo("TLSv1.3 h2");
      assertThat(server.nextHandshake().clientSubject()).isEqualTo("CN=alice,O=sre");

      assertThatThrownBy(() -> exchange(server, pki.jdkClientContext(null), new String[] {"TLSv1.3"}, "h2"))
          .as("no client certificate")
          .isInstanceOf(IOException.class);
      assertThat(server.nextHandshake().success()).isFalse();

      assertThatThrownBy(() -> exchange(server, jdkContextFor(stranger), new String[] {"TLSv1.3"}, "h2"))
          .as("a certificate from another CA")
          .isInstanceOf(IOException.class);
      assertThat(server.nextHandshake().success()).isFalse();
    }
  }

  @Test
  void optionalClientCertificatesLetClientsWithoutOneIn() throws Exception {
    GatewayConfig.Tls tls =
        new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("client-ca.crt"), ClientAuth.OPTIONAL);

    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.forListener(tls))) {
      assertThat(exchange(server, pki.jdkClientContext(null), new String[] {"TLSv1.3"}, "h2")).isEqualTo("TLSv1.3 h2");
      assertThat(server.nextHandshake().clientSubject()).isNull();
      exchange(server, pki.jdkClientContext(client), new String[] {"TLSv1.3"}, "h2");
      assertThat(server.nextHandshake().clientSubject()).isEqualTo("CN=alice,O=sre");
    }
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateFailsAtSetup() {
    pki.issueServer("other", List.of("other"), List.of())
        .writePem(dir.resolve("other.crt"), dir.resolve("other.key"), KeyFormat.PKCS8);
    GatewayConfig.Tls mismatched = new GatewayConfig.Tls(dir.resolve("tls.crt"), dir.resolve("other.key"), null);

    assertThatThrownBy(() -> ServerTlsContexts.forListener(mismatched))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageStartingWith("listen.tls.key: the private key does not match the certificate");
  }

  @Test
  void theDefaultProviderIsOpenSslWhenItLoaded() {
    assertThat(TlsProviders.preferred())
        .isEqualTo(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK);
  }

  /** Connects with a JDK SSLSocket and returns "protocol alpn" as the client saw them. */
  private static String exchange(TlsTestServer server, SSLContext context, String[] protocols, String... alpn)
      throws IOException {
    SSLContext ssl = context != null ? context : pki.jdkClientContext(null);
    try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(protocols);
      if (alpn.length > 0) {
        parameters.setApplicationProtocols(alpn);
      }
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      // The server writes after its side of the handshake; a refusal shows up here in TLS 1.3.
      String serverLine =
          new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      if (serverLine == null) {
        throw new IOException("the server closed the connection");
      }
      return socket.getSession().getProtocol() + " " + socket.getApplicationProtocol();
    }
  }

  private static SSLContext jdkContextFor(IssuedCertificate certificate) {
    // A context presenting a certificate from another CA, while trusting the listener's CA.
    try {
      java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("c", certificate.privateKey(), "x".toCharArray(),
          new java.security.cert.X509Certificate[] {certificate.certificate()});
      javax.net.ssl.KeyManagerFactory kmf =
          javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "x".toCharArray());
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", pki.caCertificate());
      javax.net.ssl.TrustManagerFactory tmf =
          javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Future<Channel> nettyHandshake(SslContext context, int port) throws InterruptedException {
    SslHandler[] handler = new SslHandler[1];
    Channel channel =
        new Bootstrap()
            .group(clientGroup)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    handler[0] = context.newHandler(ch.alloc(), "localhost", port);
                    ch.pipeline().addLast(handler[0], new DiscardingHandler());
                  }
                })
            .connect("127.0.0.1", port)
            .sync()
            .channel();
    Future<Channel> handshake = handler[0].handshakeFuture().await();
    channel.close().sync();
    return handshake;
  }
}
