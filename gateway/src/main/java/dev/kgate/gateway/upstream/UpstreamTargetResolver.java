package dev.kgate.gateway.upstream;

import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.config.GatewayConfig.Credentials;
import dev.kgate.gateway.config.ServerUrls;
import dev.kgate.gateway.tls.PemException;
import dev.kgate.gateway.tls.PemFiles;
import dev.kgate.gateway.tls.TlsKeyPair;
import dev.kgate.gateway.tls.TlsProviders;
import dev.kgate.gateway.tls.UpstreamTlsContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLException;

/**
 * Turns one {@link GatewayConfig.Cluster} into an {@link UpstreamTarget}: reads the CA bundle and
 * the credential from wherever its kind keeps them (files, a kubeconfig context, the pod's
 * ServiceAccount), starts token-file refresh, and builds both TLS contexts. Failures are
 * {@link ConfigException}s whose paths start at {@code clusters[i]}.
 */
final class UpstreamTargetResolver {

  private final ScheduledExecutorService background;
  private final InClusterEnvironment inCluster;
  private final SslProvider provider;

  UpstreamTargetResolver(
      ScheduledExecutorService background, InClusterEnvironment inCluster, SslProvider provider) {
    this.background = Objects.requireNonNull(background, "background");
    this.inCluster = Objects.requireNonNull(inCluster, "inCluster");
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  UpstreamTargetResolver(ScheduledExecutorService background, InClusterEnvironment inCluster) {
    this(background, inCluster, TlsProviders.preferred());
  }

  UpstreamTarget resolve(GatewayConfig.Cluster cluster, String keyPath) throws ConfigException {
    Credentials credentials = cluster.credentials();
    String credentialsPath = keyPath + ".credentials";
    if (credentials instanceof Credentials.TokenFile tokenFile) {
      List<X509Certificate> cas = certificates(cluster.ca(), keyPath + ".ca");
      URI server = required(cluster.server(), keyPath + ".server");
      UpstreamCredential credential =
          startTokenFile(tokenFile.path(), credentialsPath + ".tokenFile");
      return build(cluster, server, cluster.tlsServerName(), cas, null, credential, keyPath);
    }
    if (credentials instanceof Credentials.ClientCertificate certificate) {
      List<X509Certificate> cas = certificates(cluster.ca(), keyPath + ".ca");
      URI server = required(cluster.server(), keyPath + ".server");
      TlsKeyPair keyPair =
          keyPair(certificate.cert(), certificate.key(), credentialsPath + ".clientKey");
      return build(
          cluster, server, cluster.tlsServerName(), cas, keyPair,
          ClientCertificateCredential.INSTANCE, keyPath);
    }
    if (credentials instanceof Credentials.Kubeconfig kubeconfig) {
      return fromKubeconfig(cluster, kubeconfig, keyPath);
    }
    if (credentials instanceof Credentials.InCluster) {
      return fromInCluster(cluster, keyPath);
    }
    throw new ConfigException(credentialsPath, "unsupported credential kind " + credentials);
  }

  private UpstreamTarget fromKubeconfig(
      GatewayConfig.Cluster cluster, Credentials.Kubeconfig kubeconfig, String keyPath)
      throws ConfigException {
    String fileKey = keyPath + ".credentials.kubeconfig";
    KubeconfigEntry entry =
        KubeconfigReader.read(kubeconfig.path(), kubeconfig.context(), keyPath + ".credentials");
    URI server = cluster.server() != null ? cluster.server() : serverUrl(entry.server(), fileKey);
    List<X509Certificate> cas;
    if (cluster.ca() != null) {
      cas = certificates(cluster.ca(), keyPath + ".ca");
    } else if (entry.insecure()) {
      throw new ConfigException(
          fileKey,
          "insecure-skip-tls-verify is not allowed: kgate always verifies API servers; set "
              + keyPath + ".ca to the CA bundle that signs the server's certificate");
    } else if (entry.caPem() == null) {
      throw new ConfigException(
          keyPath + ".ca",
          "required: the kubeconfig's cluster has no certificate-authority(-data)");
    } else {
      cas = parseCertificates(entry.caPem(), fileKey, "certificate-authority");
    }
    TlsKeyPair keyPair = null;
    if (entry.clientCertPem() != null) {
      try {
        keyPair = TlsKeyPair.parse(entry.clientCertPem(), entry.clientKeyPem());
      } catch (PemException e) {
        throw new ConfigException(fileKey, "client certificate/key: " + e.getMessage());
      }
    }
    // kubectl sends both when a user has both; so does the gateway.
    UpstreamCredential credential;
    if (entry.tokenFile() != null) {
      credential = startTokenFile(entry.tokenFile(), fileKey);
    } else if (entry.token() != null) {
      try {
        credential = new StaticTokenCredential(entry.token());
      } catch (IllegalArgumentException e) {
        throw new ConfigException(fileKey, e.getMessage());
      }
    } else {
      credential = ClientCertificateCredential.INSTANCE;
    }
    String serverName =
        cluster.tlsServerName() != null ? cluster.tlsServerName() : entry.tlsServerName();
    return build(cluster, server, serverName, cas, keyPair, credential, keyPath);
  }

  private UpstreamTarget fromInCluster(GatewayConfig.Cluster cluster, String keyPath)
      throws ConfigException {
    String inClusterKey = keyPath + ".credentials.inCluster";
    URI server = cluster.server();
    if (server == null) {
      String host = inCluster.environment().get(InClusterEnvironment.SERVICE_HOST);
      String port = inCluster.environment().getOrDefault(InClusterEnvironment.SERVICE_PORT, "443");
      if (host == null || host.isBlank()) {
        throw new ConfigException(
            inClusterKey,
            InClusterEnvironment.SERVICE_HOST + " is not set: inCluster works only in a pod"
                + " (or set " + keyPath + ".server)");
      }
      String authority = NetUtil.isValidIpV6Address(host) ? "[" + host + "]" : host;
      server = serverUrl("https://" + authority + ":" + port.strip(), inClusterKey);
    }
    Path caFile = cluster.ca() != null ? cluster.ca() : inCluster.caFile();
    List<X509Certificate> cas =
        certificates(caFile, cluster.ca() != null ? keyPath + ".ca" : inClusterKey);
    UpstreamCredential credential = startTokenFile(inCluster.tokenFile(), inClusterKey);
    return build(cluster, server, cluster.tlsServerName(), cas, null, credential, keyPath);
  }

  private UpstreamTarget build(
      GatewayConfig.Cluster cluster,
      URI server,
      String tlsServerName,
      List<X509Certificate> cas,
      TlsKeyPair keyPair,
      UpstreamCredential credential,
      String keyPath)
      throws ConfigException {
    SslContext http2;
    SslContext http1;
    try {
      http2 = UpstreamTlsContexts.forUpstream(cas, keyPair, true, provider);
      http1 = UpstreamTlsContexts.forUpstream(cas, keyPair, false, provider);
    } catch (SSLException | RuntimeException e) {
      closeQuietly(credential);
      throw new ConfigException(keyPath, "cannot build the TLS context: " + e.getMessage());
    }
    return new UpstreamTarget(
        cluster.name(),
        server,
        tlsServerName,
        cluster.connectTimeout(),
        cluster.idleTimeout(),
        credential,
        http2,
        http1);
  }

  private TokenFileCredential startTokenFile(Path file, String errorKey) throws ConfigException {
    try {
      return TokenFileCredential.start(file, background);
    } catch (IOException e) {
      throw new ConfigException(errorKey, "cannot use token file " + file + ": " + describe(e));
    }
  }

  private static List<X509Certificate> certificates(Path file, String errorKey)
      throws ConfigException {
    if (file == null) {
      throw new ConfigException(errorKey, "required");
    }
    try {
      return PemFiles.readCertificates(file);
    } catch (PemException e) {
      throw new ConfigException(errorKey, file + ": " + e.getMessage());
    }
  }

  private static List<X509Certificate> parseCertificates(String pem, String errorKey, String what)
      throws ConfigException {
    try {
      return PemFiles.parseCertificates(pem);
    } catch (PemException e) {
      throw new ConfigException(errorKey, what + ": " + e.getMessage());
    }
  }

  private static TlsKeyPair keyPair(Path cert, Path key, String errorKey) throws ConfigException {
    try {
      return TlsKeyPair.read(cert, key);
    } catch (PemException e) {
      throw new ConfigException(errorKey, e.getMessage());
    }
  }

  private static URI required(URI server, String errorKey) throws ConfigException {
    if (server == null) {
      throw new ConfigException(errorKey, "required");
    }
    return server;
  }

  private static URI serverUrl(String text, String errorKey) throws ConfigException {
    try {
      return ServerUrls.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of(new ConfigError(errorKey, "server: " + e.getMessage())));
    }
  }

  private static void closeQuietly(UpstreamCredential credential) {
    if (credential instanceof TokenFileCredential tokenFile) {
      tokenFile.close();
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
