package dev.kgate.audit.store;

import static dev.kgate.audit.testing.AuditFiles.appendAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kgate.audit.file.FileAuditLog;
import dev.kgate.audit.testing.TestEvents;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.VerifyReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointKeysTest {

  @TempDir
  Path dir;

  private Path pkcs8(KeyPair pair) throws Exception {
    Path pem = dir.resolve("key-" + pair.getPrivate().getAlgorithm() + ".pem");
    Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    return pem;
  }

  @Test
  void anEcdsaP256KeyLoadsWithItsPublicHalfDerived() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();

    SigningKey key = CheckpointKeys.load(pkcs8(pair));

    assertThat(key.algorithm()).isEqualTo(CheckpointKeys.ES256);
    assertThat(key.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    byte[] data = "checkpoint".getBytes(StandardCharsets.UTF_8);
    assertThat(CheckpointKeys.verify(pair.getPublic(), CheckpointKeys.ES256, data, CheckpointKeys.sign(key, data))).isTrue();
  }

  @Test
  void anEd25519KeyLoadsWithItsPublicHalfDerived() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    SigningKey key = CheckpointKeys.load(pkcs8(pair));

    assertThat(key.algorithm()).isEqualTo(CheckpointKeys.ED25519);
    assertThat(key.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(CheckpointKeys.readPublic(pkcs8(pair)).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
  }

  @Test
  void otherKeysAreRefusedWithTheFileNamed() throws Exception {
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    Path rsaKey = pkcs8(rsa.generateKeyPair());
    KeyPairGenerator k1 = KeyPairGenerator.getInstance("EC");
    k1.initialize(new ECGenParameterSpec("secp384r1"));
    Path p384 = pkcs8(k1.generateKeyPair());

    assertThatThrownBy(() -> CheckpointKeys.load(rsaKey)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(rsaKey.toString());
    assertThatThrownBy(() -> CheckpointKeys.load(p384)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aSignatureByAnotherKeyDoesNotVerify() {
    SigningKey one = CheckpointKeys.generate();
    SigningKey other = CheckpointKeys.generate();
    byte[] data = "checkpoint".getBytes(StandardCharsets.UTF_8);

    assertThat(CheckpointKeys.verify(one.publicKey(), CheckpointKeys.ED25519, data, CheckpointKeys.sign(other, data))).isFalse();
    assertThat(CheckpointKeys.verify(one.publicKey(), CheckpointKeys.ES256, data, CheckpointKeys.sign(one, data)))
        .as("the algorithm must match the key").isFalse();
  }

  @Test
  void aConfiguredKeyOutsideTheDirectorySignsCheckpointsAndIsPublishedForVerify() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Path key = pkcs8(pair);
    Path audit = dir.resolve("audit");

    try (FileAuditLog log = FileAuditLog.open(FileAuditLog.Options.defaults(audit).withSigningKey(key)
        .withFsyncInterval(Duration.ofMillis(5)))) {
      appendAll(log, List.of(TestEvents.allowedGet("alice", 1, Instant.parse("2025-03-01T10:00:00Z"))));
    }

    assertThat(Files.exists(new StoreLayout(audit).privateKey())).as("no second key generated").isFalse();
    Path checkpoint = CheckpointCodec.list(new StoreLayout(audit).checkpoints()).get(0);
    assertThat(CheckpointCodec.decode(Files.readAllBytes(checkpoint)).checkpoint().algorithm()).isEqualTo("ES256");
    VerifyReport report = AuditVerifier.trusting(pair.getPublic()).verify(audit, Optional.empty());
    assertThat(report.ok()).as(report.describe()).isTrue();
    assertThat(AuditVerifier.trustingKeyIn(audit).verify(audit, Optional.empty()).ok()).isTrue();
  }
}
