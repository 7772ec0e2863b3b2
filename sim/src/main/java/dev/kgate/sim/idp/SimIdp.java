package dev.kgate.sim.idp;

import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.http.Ssl;
import no.nav.security.mock.oauth2.http.SslKeystore;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * The built-in identity provider for tests and {@code kgate demo}: mock-oauth2-server embedded,
 * served over HTTPS on 127.0.0.1 with a certificate from its own {@link TestPki}, with one issuer
 * ({@value #ISSUER_ID}). It publishes OIDC discovery and a JWKS, runs the usual login flows, and
 * mints RS256 access tokens on demand with whatever claims a test needs ({@code groups},
 * {@code amr}, {@code auth_time}…).
 */
public final class SimIdp implements AutoCloseable {

  public static final String ISSUER_ID = "kgate";
  public static final String DEFAULT_AUDIENCE = "kubernetes";
  /** The client id minted tokens name in {@code azp}; the CLI's client id in the demo. */
  public static final String CLIENT_ID = "kgate-cli";

  private static final char[] KEYSTORE_PASSWORD = "kgate-sim".toCharArray();

  private final TestPki pki;
  private final MockOAuth2Server server;

  private SimIdp(TestPki pki, MockOAuth2Server server) {
    this.pki = pki;
    this.server = server;
  }

  /** Starts the IdP on an ephemeral loopback port. */
  public static SimIdp start() {
    TestPki pki = TestPki.create("kgate-sim IdP CA");
    IssuedCertificate serving = pki.issueServer("kgate-sim-idp", List.of("localhost"), List.of("127.0.0.1"));
    Ssl ssl = new Ssl(new SslKeystore(new String(KEYSTORE_PASSWORD), keyStore(serving, pki.caCertificate())));
    OAuth2Config config = new OAuth2Config(false, null, null, false,
        new no.nav.security.mock.oauth2.token.OAuth2TokenProvider(), java.util.Set.of(), new NettyWrapper(ssl));
    MockOAuth2Server server = new MockOAuth2Server(config);
    server.start(InetAddress.getLoopbackAddress(), 0);
    SimIdp idp = new SimIdp(pki, server);
    idp.warmUp();
    return idp;
  }

  /**
   * Fetches discovery and the keys once, so the server's first answers (class loading, TLS set-up,
   * JIT) are not paid by the gateway's first fetch, whose read timeout a cold server on a busy CI
   * machine can exceed.
   */
  private void warmUp() {
    HttpClient client = HttpClient.newBuilder()
        .sslContext(pki.jdkClientContext(null)).connectTimeout(Duration.ofSeconds(30)).build();
    try {
      for (URI uri : List.of(discoveryUri(), server.jwksUrl(ISSUER_ID).uri())) {
        client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.discarding());
      }
    } catch (IOException e) {
      throw new IllegalStateException("the simulated IdP does not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while warming up the simulated IdP", e);
    }
  }

  private static KeyStore keyStore(IssuedCertificate serving, X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("idp", serving.privateKey(), KEYSTORE_PASSWORD,
          new X509Certificate[] {serving.certificate(), ca});
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the IdP key store", e);
    }
  }

  /** The issuer, {@code https://<host>:<port>/kgate}; discovery is below it. */
  public URI issuer() {
    return server.issuerUrl(ISSUER_ID).uri();
  }

  /** {@code <issuer>/.well-known/openid-configuration}. */
  public URI discoveryUri() {
    return server.wellKnownUrl(ISSUER_ID).uri();
  }

  public String caCertificatePem() {
    return pki.caCertificatePem();
  }

  public void writeCaPem(Path file) {
    pki.writeCaPem(file);
  }

  /** The PKI behind the IdP's certificate, e.g. for a client TLS context that trusts it. */
  public TestPki pki() {
    return pki;
  }

  /** The embedded server, for tests that script logins ({@code enqueueCallback}) or inspect requests. */
  public MockOAuth2Server server() {
    return server;
  }

  /**
   * Mints a signed (RS256) access token for {@code subject}, valid for {@code ttl}: {@code iss},
   * {@code sub}, {@code iat}, {@code nbf}, {@code exp}, {@code aud} (from {@code claims}'s
   * {@code aud}, a string or list, else {@value #DEFAULT_AUDIENCE}), plus every other given claim.
   */
  public String mintToken(String subject, Map<String, Object> claims, Duration ttl) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    Map<String, Object> extra = new LinkedHashMap<>(claims);
    List<String> audience = audience(extra.remove("aud"));
    DefaultOAuth2TokenCallback callback =
        new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", audience, extra, ttl.toSeconds());
    return server.issueToken(ISSUER_ID, CLIENT_ID, callback).serialize();
  }

  private static List<String> audience(Object aud) {
    if (aud == null) {
      return List.of(DEFAULT_AUDIENCE);
    }
    if (aud instanceof Collection) {
      List<String> values = new ArrayList<>();
      ((Collection<?>) aud).forEach(a -> values.add(String.valueOf(a)));
      return values;
    }
    return List.of(String.valueOf(aud));
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
