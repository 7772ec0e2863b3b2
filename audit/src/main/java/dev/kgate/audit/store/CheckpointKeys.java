package dev.kgate.audit.store;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.EdECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Loads, generates, stores and uses checkpoint keys: Ed25519 (the default) or ECDSA P-256, as
 * PKCS#8 ({@code PRIVATE KEY}) and X.509 ({@code PUBLIC KEY}) PEM. The JDK signs and verifies; the
 * public key of a loaded private key is derived with BouncyCastle, since PKCS#8 files written by
 * OpenSSL carry none.
 */
public final class CheckpointKeys {

  public static final String ED25519 = "Ed25519";
  public static final String ES256 = "ES256";

  private static final Pattern PEM =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private CheckpointKeys() {}

  /** A new Ed25519 key. */
  public static SigningKey generate() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance(ED25519).generateKeyPair();
      return new SigningKey(pair.getPrivate(), pair.getPublic(), ED25519, keyId(pair.getPublic()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is required of every JDK 15+", e);
    }
  }

  /** A signing key from a PKCS#8 PEM file; {@link IllegalArgumentException} if it is not one. */
  public static SigningKey load(Path pem) throws IOException {
    byte[] der = pemBlock(Files.readString(pem, StandardCharsets.US_ASCII), "PRIVATE KEY", pem);
    PrivateKey privateKey = privateKey(der, pem);
    PublicKey publicKey = derivePublic(der, pem);
    return new SigningKey(privateKey, publicKey, algorithmOf(publicKey), keyId(publicKey));
  }

  /**
   * A public key from a PEM file holding either a {@code PUBLIC KEY} or a {@code PRIVATE KEY}
   * (whose public half is derived).
   */
  public static PublicKey readPublic(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN PUBLIC KEY-----")) {
      byte[] der = pemBlock(text, "PUBLIC KEY", pem);
      for (String algorithm : new String[] {ED25519, "EC"}) {
        try {
          PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
          algorithmOf(key);
          return key;
        } catch (GeneralSecurityException e) {
          // not this algorithm; try the next
        }
      }
      throw new IllegalArgumentException(pem + ": not an Ed25519 or P-256 public key");
    }
    return derivePublic(pemBlock(text, "PRIVATE KEY", pem), pem);
  }

  /** Writes the private key as PKCS#8 PEM, readable by the owner only, atomically. */
  public static void writePrivate(Path pem, SigningKey key) throws IOException {
    Path temp = pem.resolveSibling(pem.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    try {
      Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temp);
    }
    DurableFiles.writeSynced(temp, pem("PRIVATE KEY", key.privateKey().getEncoded()));
    Files.move(temp, pem, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Writes a public key as X.509 PEM, atomically. */
  public static void writePublic(Path pem, PublicKey key) throws IOException {
    Path temp = pem.resolveSibling(pem.getFileName() + ".tmp");
    DurableFiles.writeSynced(temp, pem("PUBLIC KEY", key.getEncoded()));
    Files.move(temp, pem, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** {@link #ED25519} or {@link #ES256}; {@link IllegalArgumentException} for any other key. */
  public static String algorithmOf(PublicKey key) {
    if (key instanceof EdECKey edKey && "Ed25519".equalsIgnoreCase(edKey.getParams().getName())) {
      return ED25519;
    }
    if (key instanceof ECKey ecKey && ecKey.getParams().getCurve().getField().getFieldSize() == 256
        && ecKey.getParams().getOrder().equals(P256_ORDER)) {
      return ES256;
    }
    throw new IllegalArgumentException("checkpoint keys must be Ed25519 or ECDSA P-256");
  }

  /** The first 16 hex digits of SHA-256 over the encoded public key. */
  public static String keyId(PublicKey key) {
    return HexFormat.of().formatHex(LineHash.sha256().digest(key.getEncoded())).substring(0, 16);
  }

  /** Signs data. */
  public static byte[] sign(SigningKey key, byte[] data) {
    try {
      Signature signature = Signature.getInstance(jcaName(key.algorithm()));
      signature.initSign(key.privateKey());
      signature.update(data);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a checkpoint with " + key, e);
    }
  }

  /** Whether {@code signature} is {@code key}'s signature of {@code data} under {@code algorithm}. */
  public static boolean verify(PublicKey key, String algorithm, byte[] data, byte[] signature) {
    try {
      if (!algorithmOf(key).equals(algorithm)) {
        return false;
      }
      Signature verifier = Signature.getInstance(jcaName(algorithm));
      verifier.initVerify(key);
      verifier.update(data);
      return verifier.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static final BigInteger P256_ORDER = new BigInteger(
      "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

  private static String jcaName(String algorithm) {
    return ED25519.equals(algorithm) ? "Ed25519" : "SHA256withECDSA";
  }

  private static PrivateKey privateKey(byte[] der, Path source) {
    for (String algorithm : new String[] {ED25519, "EC"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm; try the next
      }
    }
    throw new IllegalArgumentException(source + ": not an Ed25519 or EC PKCS#8 private key");
  }

  private static PublicKey derivePublic(byte[] der, Path source) {
    try {
      AsymmetricKeyParameter parameters = PrivateKeyFactory.createKey(der);
      AsymmetricKeyParameter publicParameters;
      String algorithm;
      if (parameters instanceof Ed25519PrivateKeyParameters ed) {
        publicParameters = ed.generatePublicKey();
        algorithm = ED25519;
      } else if (parameters instanceof ECPrivateKeyParameters ec
          && ec.getParameters() instanceof ECNamedDomainParameters named
          && SECObjectIdentifiers.secp256r1.equals(named.getName())) {
        publicParameters = new ECPublicKeyParameters(
            new FixedPointCombMultiplier().multiply(named.getG(), ec.getD()).normalize(), named);
        algorithm = "EC";
      } else {
        throw new IllegalArgumentException(source + ": checkpoint keys must be Ed25519 or ECDSA P-256");
      }
      byte[] spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicParameters).getEncoded();
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      if (e instanceof IllegalArgumentException illegal) {
        throw illegal;
      }
      throw new IllegalArgumentException(source + ": unreadable private key", e);
    }
  }

  private static byte[] pemBlock(String text, String type, Path source) {
    Matcher matcher = PEM.matcher(text);
    while (matcher.find()) {
      if (matcher.group(1).equals(type)) {
        return Base64.getMimeDecoder().decode(matcher.group(2));
      }
    }
    throw new IllegalArgumentException(source + ": no " + type + " PEM block");
  }

  private static byte[] pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}
