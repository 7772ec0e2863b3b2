package dev.kgate.auth.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Picks the keys that may have signed a token: only keys the issuer publishes in its JWK set, only
 * for an allowed algorithm, matched on key type, {@code kid}, use and algorithm.
 *
 * <p>Threat: a token that carries its own key ({@code jwk}, {@code x5c}) or points to one
 * ({@code jku}, {@code x5u}) would verify itself. This selector never reads those headers; the
 * issuer's JWK set, found through discovery, is the only key source.
 */
final class IssuerKeySelector implements JWSKeySelector<VerificationContext> {

  private final Set<JWSAlgorithm> algorithms;
  private final JWKSource<VerificationContext> issuerKeys;

  IssuerKeySelector(Set<JWSAlgorithm> algorithms, JWKSource<VerificationContext> issuerKeys) {
    this.algorithms = Set.copyOf(algorithms);
    this.issuerKeys = Objects.requireNonNull(issuerKeys, "issuerKeys");
  }

  @Override
  public List<PublicKey> selectJWSKeys(JWSHeader header, VerificationContext context) throws KeySourceException {
    if (!algorithms.contains(header.getAlgorithm())) {
      return List.of();
    }
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    if (matcher == null) {
      return List.of();
    }
    List<PublicKey> keys = new ArrayList<>();
    for (JWK jwk : issuerKeys.get(new JWKSelector(matcher), context)) {
      PublicKeys.of(jwk).ifPresent(keys::add);
    }
    context.keyCandidates(keys.size());
    return keys;
  }
}
