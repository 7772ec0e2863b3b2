package dev.kgate.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies EdDSA JWS signatures (RFC 8037, and the fully specified Ed25519/Ed448 names) with the
 * JDK's built-in EdDSA, which has shipped since Java 15. A header with {@code crit} never
 * verifies: we understand no critical extension.
 */
final class JdkEdDsaVerifier implements JWSVerifier {

  private final PublicKey key;
  private final JCAContext jcaContext = new JCAContext();

  JdkEdDsaVerifier(PublicKey key) {
    this.key = Objects.requireNonNull(key, "key");
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    if (!JWSAlgorithm.Family.ED.contains(header.getAlgorithm())
        || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("EdDSA");
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature.decode());
    } catch (SignatureException e) {
      return false; // a signature of the wrong shape is simply not valid
    } catch (GeneralSecurityException e) {
      throw new JOSEException("EdDSA verification failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return JWSAlgorithm.Family.ED;
  }

  @Override
  public JCAContext getJCAContext() {
    return jcaContext;
  }
}
