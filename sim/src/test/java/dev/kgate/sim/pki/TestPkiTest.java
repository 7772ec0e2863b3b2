package dev.kgate.sim.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPkiTest {

  private static final TestPki PKI = TestPki.create("kgate test CA");

  @Test
  void serverCertificateIsSignedByTheCaAndCarriesItsSans() throws Exception {
    IssuedCertificate server = PKI.issueServer("localhost", List.of("localhost"), List.of("127.0.0.1"));
    X509Certificate cert = server.certificate();

    cert.verify(PKI.caCertificate().getPublicKey());
    assertThat(cert.getSubjectAlternativeNames())
        .as("DNS (2) and IP (7) SANs")
        .extracting(san -> san.get(0) + "=" + san.get(1))
        .containsExactlyInAnyOrder("2=localhost", "7=127.0.0.1");
    assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(PKI.caCertificate().getBasicConstraints()).as("the CA is a CA").isGreaterThanOrEqualTo(0);
    assertThat(server.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void clientCertificateNamesTheUserAndGroups() throws Exception {
    IssuedCertificate client = PKI.issueClient("alice", List.of("sre", "dev"), KeyKind.RSA_2048);

    client.certificate().verify(PKI.caCertificate().getPublicKey());
    assertThat(client.certificate().getSubjectX500Principal().getName())
        .contains("CN=alice").contains("O=sre").contains("O=dev");
    assertThat(client.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(client.privateKey().getAlgorithm()).isEqualTo("RSA");
  }

  @Test
  void leavesStartAMinuteInThePastAndLastAboutTwoDays() {
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    TestPki pki = TestPki.create("fixed", Clock.fixed(now, ZoneOffset.UTC));
    X509Certificate cert = pki.issueClient("bob", List.of()).certificate();

    assertThat(cert.getNotBefore().toInstant()).isEqualTo(now.minus(Duration.ofMinutes(1)));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(2)));
  }

  @Test
  void keysRenderInEachPemFormatTheirAlgorithmAllows() throws Exception {
    IssuedCertificate ec = PKI.issueClient("ec", List.of());
    IssuedCertificate rsa = PKI.issueClient("rsa", List.of(), KeyKind.RSA_2048);

    assertThat(ec.privateKeyPem(KeyFormat.PKCS8)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(ec.privateKeyPem(KeyFormat.SEC1_EC)).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(rsa.privateKeyPem(KeyFormat.PKCS1_RSA)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThatThrownBy(() -> ec.privateKeyPem(KeyFormat.PKCS1_RSA)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rsa.privateKeyPem(KeyFormat.SEC1_EC)).isInstanceOf(IllegalArgumentException.class);

    try (PEMParser parser = new PEMParser(new StringReader(ec.privateKeyPem(KeyFormat.SEC1_EC)))) {
      PEMKeyPair pair = (PEMKeyPair) parser.readObject();
      ECPrivateKey parsed = (ECPrivateKey) new JcaPEMKeyConverter().getPrivateKey(pair.getPrivateKeyInfo());
      assertThat(parsed.getS()).isEqualTo(((ECPrivateKey) ec.privateKey()).getS());
    }
    try (PEMParser parser = new PEMParser(new StringReader(rsa.privateKeyPem(KeyFormat.PKCS1_RSA)))) {
      PEMKeyPair pair = (PEMKeyPair) parser.readObject();
      assertThat(pair.getPrivateKeyInfo().getEncoded()).isEqualTo(rsa.privateKey().getEncoded());
    }
    try (PEMParser parser = new PEMParser(new StringReader(rsa.privateKeyPem(KeyFormat.PKCS8)))) {
      assertThat(((PrivateKeyInfo) parser.readObject()).getEncoded()).isEqualTo(rsa.privateKey().getEncoded());
    }
  }

  @Test
  void writePemPutsTheChainInTheCertificateFile(@TempDir Path dir) throws Exception {
    IssuedCertificate server = PKI.issueServer("s", List.of("s.local"), List.of());
    Path cert = dir.resolve("tls.crt");
    Path key = dir.resolve("tls.key");

    server.writePem(cert, key, KeyFormat.PKCS8);

    String chain = Files.readString(cert);
    assertThat(chain).isEqualTo(server.certificatePem() + PKI.caCertificatePem());
    assertThat(chain.split("BEGIN CERTIFICATE", -1)).as("two certificates").hasSize(3);
    assertThat(Files.readString(key)).isEqualTo(server.privateKeyPem(KeyFormat.PKCS8));
  }
}
