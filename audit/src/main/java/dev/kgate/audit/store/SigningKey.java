package dev.kgate.audit.store;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * The key that signs checkpoints, with its public half and how signatures are made.
 *
 * @param privateKey the signing key
 * @param publicKey  the matching public key, what verifiers trust
 * @param algorithm  {@link CheckpointKeys#ED25519} or {@link CheckpointKeys#ES256}
 * @param keyId      a short fingerprint of the public key, written into each checkpoint
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String algorithm, String keyId) {

  public SigningKey {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(keyId, "keyId");
  }

  @Override
  public String toString() {
    return "SigningKey[" + algorithm + " " + keyId + "]";
  }
}
