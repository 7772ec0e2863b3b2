package dev.kgate.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.util.Base64URL;
import java.security.Key;
import java.security.PublicKey;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes signature verifiers for asymmetric keys only (RSA and EC through Nimbus, EdDSA through the
 * JDK) and counts every signature check, so operators and tests can see that the verified-token
 * cache saves work.
 */
final class CountingVerifierFactory implements JWSVerifierFactory {

  private final DefaultJWSVerifierFactory nimbus = new DefaultJWSVerifierFactory();
  private final AtomicLong signatureChecks;

  CountingVerifierFactory(AtomicLong signatureChecks) {
    this.signatureChecks = Objects.requireNonNull(signatureChecks, "signatureChecks");
  }

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    if (!(key instanceof PublicKey publicKey)) {
      // Never a shared secret: HMAC with a public key as the "secret" is the classic confusion attack.
      throw new JOSEException("only public keys verify tokens here");
    }
    JWSVerifier verifier = JWSAlgorithm.Family.ED.contains(header.getAlgorithm())
        ? new JdkEdDsaVerifier(publicKey)
        : nimbus.createJWSVerifier(header, publicKey);
    return new Counting(verifier);
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
    algorithms.addAll(JWSAlgorithm.Family.EC);
    algorithms.addAll(JWSAlgorithm.Family.ED);
    return algorithms;
  }

  @Override
  public JCAContext getJCAContext() {
    return nimbus.getJCAContext();
  }

  private final class Counting implements JWSVerifier {

    private final JWSVerifier delegate;

    Counting(JWSVerifier delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
      signatureChecks.incrementAndGet();
      return delegate.verify(header, signingInput, signature);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return delegate.supportedJWSAlgorithms();
    }

    @Override
    public JCAContext getJCAContext() {
      return delegate.getJCAContext();
    }
  }
}
