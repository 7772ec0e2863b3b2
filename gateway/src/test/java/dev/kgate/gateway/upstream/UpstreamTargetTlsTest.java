package dev.kgate.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.config.GatewayConfig.Credentials;
import dev.kgate.gateway.tls.DiscardingHandler;
import dev.kgate.gateway.tls.TlsTestServer;
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
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link UpstreamTarget#newSslHandler} against a real TLS server on 127.0.0.1: the cluster's CA is
 * the only trust, the certificate must carry the expected name, and ALPN offers h2 only on request.
 * Runs with both TLS providers, because the gateway uses BoringSSL when it can.
 */
class UpstreamTargetTlsTest {

  @TempDir static Path dir;
  static TestPki pki;
  static EventLoopGroup clientGroup;
  static ScheduledExecutorService background;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void setUp() throws Exception {
    pki = TestPki.create("cluster-ca");
    pki.writeCaPem(dir.resolve("ca.crt"));
    TestPki.create("some-other-ca").writeCaPem(dir.resolve("other-ca.crt"));
    Files.writeString(dir.resolve("token"), "gateway-token\n");
    pki.issueClient("kgate-gateway", List.of("kgate"))
        .writePem(dir.resolve("client.crt"), dir.resolve("client.key"), KeyFormat.PKCS8);
    clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    background = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void tearDown() {
    clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    background.shutdownNow();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  static Stream<SslProvider> providers() {
    return OpenSsl.isAvailable() ? Stream.of(SslProvider.OPENSSL, SslProvider.JDK) : Stream.of(SslProvider.JDK);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void connectsWhenTheCaAndTheNameMatchAndOffersH2OnlyWhenAsked(SslProvider provider) throws Exception {
    TlsTestServer server = server(pki.issueServer("api", List.of("localhost"), List.of()), ClientAuth.NONE);
    UpstreamTarget target = target(provider, "https://localhost:" + server.port(), "ca.crt", null, tokenFile());

    assertThat(handshake(target, server.port(), true).isSuccess()).isTrue();
    TlsTestServer.Handshake withH2 = server.nextHandshake();
    assertThat(withH2.alpn()).as("ALPN with offerHttp2").isEqualTo("h2");
    assertThat(withH2.sni()).as("SNI for a host name, even one without a dot").isEqualTo("localhost");

    assertThat(handshake(target, server.port(), false).isSuccess()).isTrue();
    assertThat(server.nextHandshake().alpn()).as("ALPN without offerHttp2").isEqualTo("http/1.1");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void failsWhenTheServerCertificateIsFromAnotherCa(SslProvider provider) throws Exception {
    TlsTestServer server = server(pki.issueServer("api", List.of("localhost"), List.of()), ClientAuth.NONE);
    UpstreamTarget target = target(provider, "https://localhost:" + server.port(), "other-ca.crt", null, tokenFile());

    Future<Channel> handshake = handshake(target, server.port(), true);

    assertThat(handshake.isSuccess()).isFalse();
    assertThat(causes(handshake.cause())).as("path validation failed").containsIgnoringCase("certification path");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void failsWhenTheCertificateIsForAnotherName(SslProvider provider) throws Exception {
    TlsTestServer server = server(pki.issueServer("api", List.of("other.example"), List.of()), ClientAuth.NONE);
    UpstreamTarget target = target(provider, "https://localhost:" + server.port(), "ca.crt", null, tokenFile());

    Future<Channel> handshake = handshake(target, server.port(), true);

    assertThat(handshake.isSuccess()).isFalse();
    assertThat(causes(handshake.cause())).contains("No subject alternative DNS name matching localhost");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void anIpLiteralIsVerifiedAgainstIpSansAndSendsNoSni(SslProvider provider) throws Exception {
    TlsTestServer withIp = server(pki.issueServer("api", List.of(), List.of("127.0.0.1")), ClientAuth.NONE);
    TlsTestServer dnsOnly = server(pki.issueServer("api", List.of("localhost"), List.of()), ClientAuth.NONE);

    UpstreamTarget good = target(provider, "https://127.0.0.1:" + withIp.port(), "ca.crt", null, tokenFile());
    assertThat(handshake(good, withIp.port(), true).isSuccess()).isTrue();
    assertThat(withIp.nextHandshake().sni()).as("no SNI for an IP literal").isNull();

    UpstreamTarget bad = target(provider, "https://127.0.0.1:" + dnsOnly.port(), "ca.crt", null, tokenFile());
    Future<Channel> refused = handshake(bad, dnsOnly.port(), true);
    assertThat(refused.isSuccess()).as("a DNS SAN does not cover an IP literal").isFalse();
    assertThat(causes(refused.cause())).contains("127.0.0.1");
  }

  @ParameterizedTest
  @MethodSource("providers")
  void tlsServerNameReplacesTheUrlHostForVerificationAndSni(SslProvider provider) throws Exception {
    TlsTestServer server = server(pki.issueServer("api", List.of("api.internal"), List.of()), ClientAuth.NONE);
    UpstreamTarget target =
        target(provider, "https://127.0.0.1:" + server.port(), "ca.crt", "api.internal", tokenFile());

    assertThat(handshake(target, server.port(), true).isSuccess()).isTrue();
    assertThat(server.nextHandshake().sni()).isEqualTo("api.internal");
    assertThat(target.authority()).as("Host stays the URL's").isEqualTo("127.0.0.1:" + server.port());
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aClientCertificateIsPresentedWhenConfigured(SslProvider provider) throws Exception {
    TlsTestServer server = server(pki.issueServer("api", List.of("localhost"), List.of()), ClientAuth.REQUIRE);
    UpstreamTarget withCert =
        target(provider, "https://localhost:" + server.port(), "ca.crt", null,
            new Credentials.ClientCertificate(dir.resolve("client.crt"), dir.resolve("client.key")));
    UpstreamTarget withoutCert = target(provider, "https://localhost:" + server.port(), "ca.crt", null, tokenFile());

    assertThat(handshake(withCert, server.port(), true).isSuccess()).isTrue();
    assertThat(server.nextHandshake().clientSubject()).isEqualTo("CN=kgate-gateway,O=kgate");
    handshake(withoutCert, server.port(), true);
    assertThat(server.nextHandshake().success()).as("the server requires a certificate").isFalse();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void aKubeconfigBringsTheCaAndClientCertificateAsData(SslProvider provider) throws Exception {
    TlsTestServer server = server(pki.issueServer("api", List.of("localhost"), List.of()), ClientAuth.REQUIRE);
    IssuedCertificate client = pki.issueClient("from-kubeconfig", List.of());
    Path kubeconfig =
        Files.writeString(
            dir.resolve("kubeconfig-" + provider),
            """
            apiVersion: v1
            kind: Config
            current-context: test
            clusters:
            - name: c
              cluster: { server: "https://localhost:%d", certificate-authority-data: %s }
            contexts:
            - name: test
              context: { cluster: c, user: u }
            users:
            - name: u
              user: { client-certificate-data: %s, client-key-data: %s }
            """
                .formatted(
                    server.port(),
                    base64(pki.caCertificatePem()),
                    base64(client.certificatePem()),
                    base64(client.privateKeyPem(KeyFormat.SEC1_EC))));
    GatewayConfig.Cluster cluster =
        new GatewayConfig.Cluster(
            "kc", null, null, null, new Credentials.Kubeconfig(kubeconfig, null),
            Duration.ofSeconds(5), Duration.ofSeconds(30));
    UpstreamTarget target =
        new UpstreamTargetResolver(background, new InClusterEnvironment(java.util.Map.of(), dir), provider)
            .resolve(cluster, "clusters[0]");
    toClose.add(target);

    assertThat(handshake(target, server.port(), true).isSuccess()).isTrue();
    assertThat(server.nextHandshake().clientSubject()).isEqualTo("CN=from-kubeconfig");
  }

  private static String base64(String text) {
    return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  private TlsTestServer server(IssuedCertificate certificate, ClientAuth clientAuth) throws InterruptedException {
    TlsTestServer server = new TlsTestServer(pki.serverSslContext(certificate, true, clientAuth));
    toClose.add(server);
    return server;
  }

  private UpstreamTarget target(
      SslProvider provider, String server, String ca, String tlsServerName, Credentials credentials)
      throws Exception {
    GatewayConfig.Cluster cluster =
        new GatewayConfig.Cluster(
            "test", URI.create(server), dir.resolve(ca), tlsServerName, credentials,
            Duration.ofSeconds(5), Duration.ofSeconds(30));
    UpstreamTarget target =
        new UpstreamTargetResolver(background, new InClusterEnvironment(java.util.Map.of(), dir), provider)
            .resolve(cluster, "clusters[0]");
    toClose.add(target);
    return target;
  }

  private static Credentials tokenFile() {
    return new Credentials.TokenFile(dir.resolve("token"));
  }

  /** Connects to 127.0.0.1 (whatever the target's host) and waits for the TLS handshake. */
  private static Future<Channel> handshake(UpstreamTarget target, int port, boolean offerHttp2)
      throws InterruptedException {
    SslHandler[] handler = new SslHandler[1];
    Channel channel =
        new Bootstrap()
            .group(clientGroup)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    handler[0] = target.newSslHandler(ch.alloc(), offerHttp2);
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

  private static String causes(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t).append(" | ");
    }
    return messages.toString();
  }
}
