package dev.kgate.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.sim.pki.IssuedCertificate;
import dev.kgate.sim.pki.KeyFormat;
import dev.kgate.sim.pki.KeyKind;
import dev.kgate.sim.pki.TestPki;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemFilesTest {

  /** The DER of OID 1.2.840.10045.3.1.7 (P-256), as {@code openssl ecparam -name prime256v1} writes it. */
  private static final String P256_PARAMETERS =
      "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

  private static TestPki pki;
  private static IssuedCertificate ecLeaf;
  private static IssuedCertificate rsaLeaf;

  @TempDir Path dir;

  @BeforeAll
  static void issue() {
    pki = TestPki.create("pem-test-ca");
    ecLeaf = pki.issueServer("ec.example", List.of("ec.example"), List.of());
    rsaLeaf = pki.issueServer("rsa.example", List.of("rsa.example"), List.of(), KeyKind.RSA_2048);
  }

  @Test
  void pkcs1RsaKeysLoad() throws Exception {
    PrivateKey key = PemFiles.readPrivateKey(write("rsa1.key", rsaLeaf.privateKeyPem(KeyFormat.PKCS1_RSA)));

    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    assertThat(key.getEncoded()).isEqualTo(rsaLeaf.privateKey().getEncoded());
  }

  @Test
  void pkcs8RsaAndEcKeysLoad() throws Exception {
    PrivateKey rsa = PemFiles.readPrivateKey(write("rsa8.key", rsaLeaf.privateKeyPem(KeyFormat.PKCS8)));
    PrivateKey ec = PemFiles.readPrivateKey(write("ec8.key", ecLeaf.privateKeyPem(KeyFormat.PKCS8)));

    assertThat(rsa.getEncoded()).isEqualTo(rsaLeaf.privateKey().getEncoded());
    assertThat(ec.getAlgorithm()).isEqualTo("EC");
    assertThat(((ECPrivateKey) ec).getS()).isEqualTo(((ECPrivateKey) ecLeaf.privateKey()).getS());
  }

  @Test
  void sec1EcKeysLoadWithAndWithoutTheEcParametersBlock() throws Exception {
    String sec1 = ecLeaf.privateKeyPem(KeyFormat.SEC1_EC);

    PrivateKey plain = PemFiles.readPrivateKey(write("ec.key", sec1));
    PrivateKey withParameters = PemFiles.readPrivateKey(write("ecparam.key", P256_PARAMETERS + sec1));

    BigIntegerAssertions.sameScalar(plain, ecLeaf.privateKey());
    BigIntegerAssertions.sameScalar(withParameters, ecLeaf.privateKey());
    PemFiles.requireMatchingKey(withParameters, ecLeaf.certificate());
  }

  @Test
  void aSec1KeyWithoutItsCurveTakesItFromTheEcParametersBlock() throws Exception {
    ECPrivateKey ec = (ECPrivateKey) ecLeaf.privateKey();
    byte[] bare = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ec.getS()).getEncoded();
    String pem = pem("EC PRIVATE KEY", bare);

    PrivateKey key = PemFiles.readPrivateKey(write("bare.key", P256_PARAMETERS + pem));

    BigIntegerAssertions.sameScalar(key, ecLeaf.privateKey());
    assertThatThrownBy(() -> PemFiles.parsePrivateKey(pem))
        .isInstanceOf(PemException.class)
        .hasMessageContaining("does not name its curve");
  }

  @Test
  void chainsLoadInFileOrder() throws Exception {
    List<X509Certificate> chain = PemFiles.readCertificates(write("chain.crt", ecLeaf.chainPem()));

    assertThat(chain).containsExactly(ecLeaf.certificate(), pki.caCertificate());
  }

  @Test
  void aKeyFileWithItsCertificateBesideItYieldsTheKey() throws Exception {
    PrivateKey key =
        PemFiles.parsePrivateKey(ecLeaf.certificatePem() + ecLeaf.privateKeyPem(KeyFormat.PKCS8));

    assertThat(key.getEncoded()).isEqualTo(ecLeaf.privateKey().getEncoded());
  }

  @Test
  void garbageGivesAClearError() throws IOException {
    Path garbage = write("garbage.pem", "hello, I am not a certificate\n");

    assertThatThrownBy(() -> PemFiles.readCertificates(garbage))
        .isInstanceOf(PemException.class)
        .hasMessage("no certificate found: expected a PEM CERTIFICATE block");
    assertThatThrownBy(() -> PemFiles.readPrivateKey(garbage))
        .isInstanceOf(PemException.class)
        .hasMessage(
            "no private key found: expected a PEM private key block"
                + " (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  @Test
  void corruptBase64InsideAPemBlockIsMalformed() throws IOException {
    Path corrupt = write("corrupt.crt", "-----BEGIN CERTIFICATE-----\nMIIB!!!!\n-----END CERTIFICATE-----\n");

    assertThatThrownBy(() -> PemFiles.readCertificates(corrupt))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("malformed certificate: ");
  }

  @Test
  void anEmptyFileSaysItIsEmpty() throws IOException {
    Path empty = write("empty.pem", "\n");

    assertThatThrownBy(() -> PemFiles.readCertificates(empty))
        .hasMessage("file is empty: expected a PEM CERTIFICATE block");
  }

  @Test
  void aMissingFileSaysSo() {
    assertThatThrownBy(() -> PemFiles.readCertificates(dir.resolve("nope.crt")))
        .isInstanceOf(PemException.class)
        .hasMessage("file does not exist");
  }

  @Test
  void derContentIsRecognisedAndRefused() throws Exception {
    Path der = dir.resolve("cert.der");
    Files.write(der, ecLeaf.certificate().getEncoded());

    assertThatThrownBy(() -> PemFiles.readCertificates(der))
        .hasMessageStartingWith("binary (DER) content");
  }

  @Test
  void encryptedKeysAreRefusedWithAHowTo() throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(
          new JcaPKCS8Generator(
              ecLeaf.privateKey(),
              new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                  .setProvider(new BouncyCastleProvider())
                  .setPassword("secret".toCharArray())
                  .build()));
    }
    String legacy =
        "-----BEGIN RSA PRIVATE KEY-----\n"
            + "Proc-Type: 4,ENCRYPTED\n"
            + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
            + "c2VjcmV0IGJ5dGVzIHRoYXQgbm9ib2R5IGNhbiBkZWNyeXB0IGhlcmUh\n"
            + "-----END RSA PRIVATE KEY-----\n";

    assertThatThrownBy(() -> PemFiles.parsePrivateKey(out.toString()))
        .as("PKCS#8 ENCRYPTED PRIVATE KEY")
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("the private key is encrypted, which is not supported");
    assertThatThrownBy(() -> PemFiles.parsePrivateKey(legacy))
        .as("OpenSSL's legacy Proc-Type: 4,ENCRYPTED")
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("the private key is encrypted, which is not supported");
  }

  @Test
  void twoKeysInOneFileAreRefused() {
    String two = ecLeaf.privateKeyPem(KeyFormat.PKCS8) + rsaLeaf.privateKeyPem(KeyFormat.PKCS8);

    assertThatThrownBy(() -> PemFiles.parsePrivateKey(two))
        .hasMessageStartingWith("more than one private key found");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsAMismatch() throws Exception {
    IssuedCertificate otherEc = pki.issueServer("other", List.of("other"), List.of());

    PemFiles.requireMatchingKey(ecLeaf.privateKey(), ecLeaf.certificate());
    PemFiles.requireMatchingKey(rsaLeaf.privateKey(), rsaLeaf.certificate());
    assertThatThrownBy(() -> PemFiles.requireMatchingKey(otherEc.privateKey(), ecLeaf.certificate()))
        .isInstanceOf(PemException.class)
        .hasMessageStartingWith("the private key does not match the certificate (CN=ec.example");
    assertThatThrownBy(() -> PemFiles.requireMatchingKey(rsaLeaf.privateKey(), ecLeaf.certificate()))
        .as("a key of another algorithm is a mismatch too")
        .hasMessageStartingWith("the private key does not match the certificate");
  }

  @Test
  void tlsKeyPairReadsAndChecksBothFiles() throws Exception {
    Path cert = write("pair.crt", ecLeaf.chainPem());
    Path key = write("pair.key", ecLeaf.privateKeyPem(KeyFormat.SEC1_EC));
    Path wrongKey = write("wrong.key", rsaLeaf.privateKeyPem(KeyFormat.PKCS1_RSA));

    TlsKeyPair pair = TlsKeyPair.read(cert, key);

    assertThat(pair.chain()).containsExactly(ecLeaf.certificate(), pki.caCertificate());
    assertThat(pair.toString()).doesNotContain(pair.key().toString());
    assertThatThrownBy(() -> TlsKeyPair.read(cert, wrongKey))
        .hasMessageStartingWith("the private key does not match the certificate");
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static String pem(String type, byte[] der) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    }
    return out.toString();
  }

  /** EC keys from different encoders differ in optional fields; the scalar is what matters. */
  private static final class BigIntegerAssertions {
    static void sameScalar(PrivateKey actual, PrivateKey expected) {
      assertThat(actual).isInstanceOf(ECPrivateKey.class);
      assertThat(((ECPrivateKey) actual).getS()).isEqualTo(((ECPrivateKey) expected).getS());
      assertThat(PrivateKeyInfo.getInstance(actual.getEncoded()).getPrivateKeyAlgorithm())
          .isEqualTo(PrivateKeyInfo.getInstance(expected.getEncoded()).getPrivateKeyAlgorithm());
    }
  }
}
