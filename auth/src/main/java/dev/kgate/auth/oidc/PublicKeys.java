package dev.kgate.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Public keys out of an IdP's JWK set. RSA and EC keys convert through Nimbus; Ed25519 and Ed448
 * keys through the JDK's own EdDSA (Nimbus would need Google Tink for them). Private parts, if an
 * IdP ever published them by mistake, are never used.
 */
final class PublicKeys {

  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (OID 1.3.101.112), before the 32 key bytes. */
  private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  /** The same for Ed448 (OID 1.3.101.113), before the 57 key bytes. */
  private static final byte[] ED448_SPKI_PREFIX = HexFormat.of().parseHex("3043300506032b6571033a00");

  private PublicKeys() {}

  static Optional<PublicKey> of(JWK jwk) {
    try {
      if (jwk instanceof RSAKey rsa) {
        return Optional.of(rsa.toRSAPublicKey());
      }
      if (jwk instanceof ECKey ec) {
        return Optional.of(ec.toECPublicKey());
      }
      if (jwk instanceof OctetKeyPair okp) {
        return edDsa(okp);
      }
    } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
      // A key the JDK cannot load can verify nothing; the token then fails as BAD_SIGNATURE or UNKNOWN_KEY.
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<PublicKey> edDsa(OctetKeyPair okp) throws GeneralSecurityException {
    byte[] prefix;
    int length;
    if (Curve.Ed25519.equals(okp.getCurve())) {
      prefix = ED25519_SPKI_PREFIX;
      length = 32;
    } else if (Curve.Ed448.equals(okp.getCurve())) {
      prefix = ED448_SPKI_PREFIX;
      length = 57;
    } else {
      return Optional.empty();
    }
    byte[] raw = okp.getDecodedX();
    if (raw.length != length) {
      return Optional.empty();
    }
    byte[] spki = new byte[prefix.length + raw.length];
    System.arraycopy(prefix, 0, spki, 0, prefix.length);
    System.arraycopy(raw, 0, spki, prefix.length, raw.length);
    return Optional.of(KeyFactory.getInstance("EdDSA").generatePublic(new X509EncodedKeySpec(spki)));
  }
}
