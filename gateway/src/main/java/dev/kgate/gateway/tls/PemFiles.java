package dev.kgate.gateway.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads PEM certificate chains and private keys the way operators actually have them: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY},
 * with or without the {@code EC PARAMETERS} block that {@code openssl ecparam -genkey} writes
 * before it). BouncyCastle does the parsing; the JDK's providers build the key objects, so no
 * security provider is registered globally. Every failure is a {@link PemException} whose message
 * says what is wrong with the file (empty, not PEM, encrypted, key and certificate do not match).
 */
public final class PemFiles {

  private static final String CERTIFICATE_BLOCK = "a PEM CERTIFICATE block";
  private static final String KEY_BLOCK =
      "a PEM private key block (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)";

  /** First byte of DER-encoded certificates and keys, to tell a DER file from garbage. */
  private static final byte DER_SEQUENCE = 0x30;

  private PemFiles() {}

  /** The certificates in {@code file}, in file order (for a chain: leaf first). */
  public static List<X509Certificate> readCertificates(Path file) throws PemException {
    return parseCertificates(read(file));
  }

  /** The certificates in PEM text, in order; at least one, or a {@link PemException}. */
  public static List<X509Certificate> parseCertificates(String pem) throws PemException {
    requireContent(pem, CERTIFICATE_BLOCK);
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    List<X509Certificate> certificates = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object;
      while ((object = readObject(parser)) != null) {
        // Other blocks (a key bundled with its certificate, say) are not certificates: skip them.
        if (object instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException e) {
      throw new PemException("malformed certificate: " + describe(e), e);
    }
    if (certificates.isEmpty()) {
      throw new PemException("no certificate found: expected " + CERTIFICATE_BLOCK);
    }
    return List.copyOf(certificates);
  }

  /** The one private key in {@code file}. */
  public static PrivateKey readPrivateKey(Path file) throws PemException {
    return parsePrivateKey(read(file));
  }

  /** The one private key in PEM text; certificates and EC parameter blocks beside it are ignored. */
  public static PrivateKey parsePrivateKey(String pem) throws PemException {
    requireContent(pem, KEY_BLOCK);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    PrivateKey key = null;
    ASN1ObjectIdentifier curve = null;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object object;
      while ((object = readObject(parser)) != null) {
        if (object instanceof ASN1ObjectIdentifier named) {
          curve = named; // EC PARAMETERS block naming the curve of the SEC1 key that follows
          continue;
        }
        PrivateKey found = toPrivateKey(object, curve, converter);
        if (found == null) {
          continue;
        }
        if (key != null) {
          throw new PemException("more than one private key found: keep exactly one per file");
        }
        key = found;
      }
    } catch (IOException e) {
      throw new PemException("malformed private key: " + describe(e), e);
    }
    if (key == null) {
      throw new PemException("no private key found: expected " + KEY_BLOCK);
    }
    return key;
  }

  /**
   * Fails unless {@code key} is the private half of {@code certificate}'s public key, by signing a
   * random challenge and verifying it: a mismatched pair would otherwise only show up as handshake
   * failures at the first connection.
   */
  public static void requireMatchingKey(PrivateKey key, X509Certificate certificate)
      throws PemException {
    String algorithm = signatureAlgorithm(key.getAlgorithm());
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // A key of another type than the certificate's ends up here too: report it as a mismatch.
    }
    throw new PemException(
        "the private key does not match the certificate ("
            + certificate.getSubjectX500Principal().getName()
            + ")");
  }

  private static PrivateKey toPrivateKey(
      Object object, ASN1ObjectIdentifier curve, JcaPEMKeyConverter converter)
      throws IOException, PemException {
    if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new PemException(
          "the private key is encrypted, which is not supported: store it decrypted "
              + "(openssl pkey -in encrypted.key -out plain.key) and protect the file instead");
    }
    if (object instanceof PEMKeyPair pair) { // PKCS#1 RSA or SEC1 EC
      PrivateKeyInfo info = pair.getPrivateKeyInfo();
      AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
      if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
          && algorithm.getParameters() == null) {
        if (curve == null) {
          throw new PemException(
              "the EC private key does not name its curve and no EC PARAMETERS block precedes it");
        }
        // A SEC1 key without parameters takes its curve from the EC PARAMETERS block.
        info =
            new PrivateKeyInfo(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve),
                info.parsePrivateKey());
      }
      return converter.getPrivateKey(info);
    }
    if (object instanceof PrivateKeyInfo info) { // PKCS#8
      return converter.getPrivateKey(info);
    }
    if (object instanceof X9ECParameters) {
      throw new PemException("explicit EC curve parameters are not supported: use a named curve");
    }
    return null; // certificates or public keys beside the key
  }

  private static Object readObject(PEMParser parser) throws IOException {
    try {
      return parser.readObject();
    } catch (IllegalArgumentException | IllegalStateException | ClassCastException e) {
      // BouncyCastle reports some malformed DER as unchecked exceptions.
      throw new IOException(e.getMessage(), e);
    }
  }

  private static String read(Path file) throws PemException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PemException("file does not exist", e);
    } catch (IOException e) {
      throw new PemException("cannot read file: " + describe(e), e);
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    if (bytes.length > 0 && bytes[0] == DER_SEQUENCE && !text.contains("-----BEGIN")) {
      throw new PemException("binary (DER) content: convert it to PEM (openssl x509 -inform der)");
    }
    return text;
  }

  private static void requireContent(String pem, String expected) throws PemException {
    if (pem.isBlank()) {
      throw new PemException("file is empty: expected " + expected);
    }
  }

  private static String signatureAlgorithm(String keyAlgorithm) throws PemException {
    switch (keyAlgorithm.toUpperCase(Locale.ROOT)) {
      case "RSA":
        return "SHA256withRSA";
      case "EC":
        return "SHA256withECDSA";
      case "ED25519":
      case "EDDSA":
        return "Ed25519";
      case "ED448":
        return "Ed448";
      default:
        throw new PemException("unsupported private key algorithm " + keyAlgorithm);
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
