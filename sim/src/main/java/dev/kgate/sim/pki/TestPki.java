package dev.kgate.sim.pki;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for tests and the demo: a self-signed EC P-256 CA that issues
 * server certificates (with DNS and IP SANs, serverAuth) and client certificates (CN = user,
 * O = groups, clientAuth), as Kubernetes expects them. Keys live only in memory; nothing here is
 * fit for production. Leaves are valid for about two days and start a minute in the past so a
 * small clock skew between processes does not reject them.
 */
public final class TestPki {

  private static final Duration CA_VALIDITY = Duration.ofDays(30);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(2);
  private static final Duration BACKDATE = Duration.ofMinutes(1);

  private final Clock clock;
  private final SecureRandom random;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  private TestPki(Clock clock, SecureRandom random, KeyPair caKeys, X509Certificate caCertificate) {
    this.clock = clock;
    this.random = random;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  /** Creates a CA with the given common name, using the system clock. */
  public static TestPki create(String caCommonName) {
    return create(caCommonName, Clock.systemUTC());
  }

  /** Creates a CA with the given common name; validity periods are measured from {@code clock}. */
  public static TestPki create(String caCommonName, Clock clock) {
    Objects.requireNonNull(caCommonName, "caCommonName");
    Objects.requireNonNull(clock, "clock");
    SecureRandom random = new SecureRandom();
    KeyPair caKeys = generate(KeyKind.EC_P256, random);
    X500Name subject = name(caCommonName, List.of());
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(random),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509Certificate ca = sign(builder, caKeys);
      return new TestPki(clock, random, caKeys, ca);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create test CA", e);
    }
  }

  /** The CA certificate. */
  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** The CA certificate as PEM. */
  public String caCertificatePem() {
    return Pem.of(caCertificate);
  }

  /** Writes the CA certificate as PEM to {@code file}. */
  public void writeCaPem(Path file) {
    try {
      Files.writeString(file, caCertificatePem(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Issues an EC P-256 server certificate. */
  public IssuedCertificate issueServer(String cn, List<String> dnsNames, List<String> ipAddresses) {
    return issueServer(cn, dnsNames, ipAddresses, KeyKind.EC_P256);
  }

  /** Issues a server certificate with the given SANs, for serverAuth, with a key of {@code kind}. */
  public IssuedCertificate issueServer(
      String cn, List<String> dnsNames, List<String> ipAddresses, KeyKind kind) {
    Objects.requireNonNull(cn, "cn");
    List<GeneralName> sans = new ArrayList<>();
    dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
    ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
    return issue(name(cn, List.of()), sans, KeyPurposeId.id_kp_serverAuth, kind);
  }

  /** Issues an EC P-256 client certificate: CN is the user, each organization a group. */
  public IssuedCertificate issueClient(String cn, List<String> organizations) {
    return issueClient(cn, organizations, KeyKind.EC_P256);
  }

  /** Issues a client certificate for clientAuth with a key of {@code kind}. */
  public IssuedCertificate issueClient(String cn, List<String> organizations, KeyKind kind) {
    Objects.requireNonNull(cn, "cn");
    return issue(name(cn, organizations), List.of(), KeyPurposeId.id_kp_clientAuth, kind);
  }

  /**
   * A Netty server context for {@code certificate}, offering ALPN {@code h2} and {@code
   * http/1.1} (or only {@code http/1.1} when {@code h2} is false), and not asking for client
   * certificates. Clients that send no ALPN extension are accepted.
   */
  public SslContext serverSslContext(IssuedCertificate certificate, boolean h2) {
    return serverSslContext(certificate, h2, ClientAuth.NONE);
  }

  /**
   * Like {@link #serverSslContext(IssuedCertificate, boolean)}, and asks for client certificates
   * issued by this CA as {@code clientAuth} says (OPTIONAL lets token clients in too).
   */
  public SslContext serverSslContext(IssuedCertificate certificate, boolean h2, ClientAuth clientAuth) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(clientAuth, "clientAuth");
    List<String> protocols =
        h2 ? List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1)
            : List.of(ApplicationProtocolNames.HTTP_1_1);
    try {
      SslContextBuilder builder =
          SslContextBuilder.forServer(certificate.privateKey(), certificate.certificate(), caCertificate)
              .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
              .applicationProtocolConfig(
                  new ApplicationProtocolConfig(
                      ApplicationProtocolConfig.Protocol.ALPN,
                      // Offer nothing rather than fail when the client and we share no protocol.
                      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                      protocols));
      if (clientAuth != ClientAuth.NONE) {
        builder.trustManager(caCertificate).clientAuth(clientAuth);
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build server TLS context", e);
    }
  }

  /** A Netty client context trusting only this CA, presenting {@code clientCertificate} if given. */
  public SslContext clientSslContext(IssuedCertificate clientCertificate, String... alpn) {
    try {
      SslContextBuilder builder = SslContextBuilder.forClient().trustManager(caCertificate);
      if (clientCertificate != null) {
        builder.keyManager(clientCertificate.privateKey(), clientCertificate.certificate());
      }
      if (alpn.length > 0) {
        builder.applicationProtocolConfig(
            new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                alpn));
      }
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build client TLS context", e);
    }
  }

  /** A JDK {@link SSLContext} serving {@code certificate} (with this CA in its chain), for JDK servers. */
  public SSLContext jdkServerContext(IssuedCertificate certificate) {
    try {
      char[] password = "changeit".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("server", certificate.privateKey(), password,
          new X509Certificate[] {certificate.certificate(), caCertificate});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build server TLS context", e);
    }
  }

  /**
   * A JDK {@link SSLContext} trusting only this CA, for {@code java.net.http.HttpClient} and
   * friends, presenting {@code clientCertificate} if not null.
   */
  public SSLContext jdkClientContext(IssuedCertificate clientCertificate) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", caCertificate);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      KeyManagerFactory kmf = null;
      if (clientCertificate != null) {
        char[] password = "changeit".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
            "client",
            clientCertificate.privateKey(),
            password,
            new X509Certificate[] {clientCertificate.certificate(), caCertificate});
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), random);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build JDK TLS context", e);
    }
  }

  private IssuedCertificate issue(
      X500Name subject, List<GeneralName> sans, KeyPurposeId purpose, KeyKind kind) {
    Objects.requireNonNull(kind, "kind");
    KeyPair leafKeys = generate(kind, random);
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      int usage = KeyUsage.digitalSignature | (kind == KeyKind.RSA_2048 ? KeyUsage.keyEncipherment : 0);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
                  caCertificate,
                  serial(random),
                  Date.from(now.minus(BACKDATE)),
                  Date.from(now.plus(LEAF_VALIDITY)),
                  subject,
                  leafKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(usage))
              .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(leafKeys.getPublic()))
              .addExtension(
                  Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(caCertificate));
      if (!sans.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
      }
      return new IssuedCertificate(sign(builder, caKeys), leafKeys.getPrivate(), caCertificate);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue certificate for " + subject, e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws GeneralSecurityException {
    try {
      String algorithm = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      ContentSigner contentSigner = new JcaContentSignerBuilder(algorithm).build(signer.getPrivate());
      return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair generate(KeyKind kind, SecureRandom random) {
    try {
      if (kind == KeyKind.RSA_2048) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, random);
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate " + kind + " key", e);
    }
  }

  private static X500Name name(String cn, List<String> organizations) {
    X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
    organizations.forEach(o -> builder.addRDN(BCStyle.O, o));
    builder.addRDN(BCStyle.CN, cn);
    return builder.build();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(63, random).add(BigInteger.ONE);
  }
}
