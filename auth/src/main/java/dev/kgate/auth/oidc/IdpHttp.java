package dev.kgate.auth.oidc;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How the gateway fetches an IdP's discovery document and keys: bounded connect and read times,
 * a size cap, no redirects, only URLs {@link IdpUrls} allows, and TLS trust that is the JDK's
 * plus an optional PEM bundle for IdPs behind a private CA.
 */
final class IdpHttp {

  /** Discovery documents and JWK sets are a few KiB; this leaves room for x5c chains. */
  static final int MAX_DOCUMENT_BYTES = 256 * 1024;

  private IdpHttp() {}

  /**
   * @param caFile extra CAs to trust besides the JDK's, or null for the JDK's only
   * @throws IllegalArgumentException when the bundle cannot be read or holds no certificate
   */
  static ResourceRetriever retriever(Duration connectTimeout, Duration readTimeout, Path caFile) {
    SSLSocketFactory sockets = caFile == null ? null : trusting(caFile);
    return new StrictRetriever(
        Math.toIntExact(connectTimeout.toMillis()), Math.toIntExact(readTimeout.toMillis()), sockets);
  }

  /** A socket factory that trusts the JDK's CAs and every certificate in {@code caFile}. */
  static SSLSocketFactory trusting(Path caFile) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int n = 0;
      for (X509Certificate jdkCa : jdkTrustAnchors()) {
        anchors.setCertificateEntry("jdk-" + n++, jdkCa);
      }
      Collection<? extends Certificate> extra;
      try (InputStream in = Files.newInputStream(caFile)) {
        extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (extra.isEmpty()) {
        throw new IllegalArgumentException("CA file " + caFile + " holds no PEM certificate");
      }
      for (Certificate ca : extra) {
        anchors.setCertificateEntry("ca-" + n++, ca);
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static X509Certificate[] jdkTrustAnchors() throws GeneralSecurityException {
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    for (TrustManager manager : jdk.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509.getAcceptedIssuers();
      }
    }
    return new X509Certificate[0];
  }

  /** Nimbus' retriever, minus redirects, {@code file:} URLs and remote plain http. */
  private static final class StrictRetriever extends DefaultResourceRetriever {

    StrictRetriever(int connectTimeoutMillis, int readTimeoutMillis, SSLSocketFactory sockets) {
      super(connectTimeoutMillis, readTimeoutMillis, MAX_DOCUMENT_BYTES, true, sockets);
    }

    @Override
    protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
      Optional<String> problem;
      try {
        problem = IdpUrls.problem(url.toURI());
      } catch (URISyntaxException e) {
        problem = Optional.of("not a valid URL");
      }
      if (problem.isPresent()) {
        throw new IOException("refusing to fetch: " + problem.get());
      }
      HttpURLConnection connection = super.openHTTPConnection(url);
      // A redirect could lead to an unvetted host or to plain http; an IdP has no need for one.
      connection.setInstanceFollowRedirects(false);
      return connection;
    }

    @Override
    protected URLConnection openFileConnection(URL url) throws IOException {
      throw new IOException("refusing to fetch a file: URL");
    }
  }
}
