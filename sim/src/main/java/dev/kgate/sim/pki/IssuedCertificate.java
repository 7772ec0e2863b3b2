package dev.kgate.sim.pki;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A leaf certificate issued by a {@link TestPki}, with its private key and the CA that signed it.
 * Renders itself as PEM in the shapes kubectl, Netty and OpenSSL-based tools expect.
 *
 * @param certificate the leaf certificate
 * @param privateKey the leaf's private key
 * @param caCertificate the certificate of the issuing CA
 */
public record IssuedCertificate(
    X509Certificate certificate, PrivateKey privateKey, X509Certificate caCertificate) {

  public IssuedCertificate {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificate, "caCertificate");
  }

  /** The leaf certificate alone, as PEM. */
  public String certificatePem() {
    return Pem.of(certificate);
  }

  /** The leaf followed by the CA certificate, as PEM. */
  public String chainPem() {
    return Pem.of(certificate) + Pem.of(caCertificate);
  }

  /**
   * The private key as PEM in the given format.
   *
   * @throws IllegalArgumentException when the format does not fit the key's algorithm
   */
  public String privateKeyPem(KeyFormat format) {
    Objects.requireNonNull(format, "format");
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(privateKey.getEncoded());
    try {
      switch (format) {
        case PKCS8:
          return pem("PRIVATE KEY", privateKey.getEncoded());
        case PKCS1_RSA:
          if (!(privateKey instanceof RSAPrivateKey)) {
            throw new IllegalArgumentException("PKCS#1 needs an RSA key, this one is " + privateKey.getAlgorithm());
          }
          return pem("RSA PRIVATE KEY", info.parsePrivateKey().toASN1Primitive().getEncoded());
        case SEC1_EC:
          if (!(privateKey instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("SEC1 needs an EC key, this one is " + privateKey.getAlgorithm());
          }
          return pem("EC PRIVATE KEY", sec1(info));
        default:
          throw new IllegalArgumentException("unknown key format " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the chain (leaf then CA) to {@code certFile} and the key to {@code keyFile}. */
  public void writePem(Path certFile, Path keyFile, KeyFormat format) {
    try {
      Files.writeString(certFile, chainPem(), StandardCharsets.US_ASCII);
      Files.writeString(keyFile, privateKeyPem(format), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The JDK's PKCS#8 encoding keeps the curve in the outer algorithm identifier and leaves it out
   * of the inner SEC1 structure; OpenSSL and Go need it (and the public key) inside, as {@code
   * openssl ec} writes it.
   */
  private byte[] sec1(PrivateKeyInfo info) throws IOException {
    ECPrivateKey key = (ECPrivateKey) privateKey;
    ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
    ASN1BitString publicKey =
        SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()).getPublicKeyData();
    int orderBits = key.getParams().getOrder().bitLength();
    return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, key.getS(), publicKey, curve).getEncoded();
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString();
  }
}
