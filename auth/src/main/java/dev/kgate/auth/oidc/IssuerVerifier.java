package dev.kgate.auth.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.kgate.auth.IssuerSettings;
import java.io.IOException;
import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies tokens of one trusted issuer, with that issuer's keys only: signature through Nimbus'
 * {@link DefaultJWTProcessor}, then the {@link ClaimsPolicy}, then the {@link IdentityMapper}, then
 * the issuer's {@link MfaGate}.
 *
 * <p>Threat: with several trusted IdPs, a token naming issuer A but signed with a key of issuer B
 * must fail. The authenticator picks this verifier by the token's unverified {@code iss}; from
 * then on only A's JWK set is consulted, and the verified {@code iss} must still be A.
 *
 * <p>{@link #verify} blocks (key fetches, discovery): call it on the authenticator's executor.
 */
final class IssuerVerifier implements AutoCloseable {

  private static final Set<JOSEObjectType> ACCEPTED_TYPES = Set.of(
      JOSEObjectType.JWT, new JOSEObjectType("at+jwt"),
      new JOSEObjectType("application/jwt"), new JOSEObjectType("application/at+jwt"));

  private final String issuer;
  private final Set<JWSAlgorithm> algorithms;
  private final ClaimsPolicy claimsPolicy;
  private final IdentityMapper identityMapper;
  private final MfaGate mfaGate;
  private final IssuerSettings.TokenTypes tokenTypes;
  private final IssuerDiscovery discovery;
  private final ResourceRetriever retriever;
  private final Clock clock;
  private final OidcOptions options;
  private final ExecutorService executor;
  private final AtomicLong signatureChecks;
  private final KeyFetches keyFetches = new KeyFetches();

  private volatile DefaultJWTProcessor<VerificationContext> processor;
  private ClockedJWKSource keys; // guarded by this

  IssuerVerifier(
      IssuerSettings settings, Set<JWSAlgorithm> algorithms, ResourceRetriever retriever, Clock clock,
      OidcOptions options, ExecutorService executor, AtomicLong signatureChecks) {
    this.issuer = settings.issuer().toString();
    this.algorithms = Set.copyOf(algorithms);
    this.claimsPolicy = new ClaimsPolicy(issuer, settings.audiences(), settings.clockSkew());
    this.identityMapper = new IdentityMapper(issuer, settings.claims());
    this.mfaGate = new MfaGate(issuer, settings.mfa());
    this.tokenTypes = settings.tokenTypes();
    this.retriever = Objects.requireNonNull(retriever, "retriever");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.options = Objects.requireNonNull(options, "options");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.signatureChecks = Objects.requireNonNull(signatureChecks, "signatureChecks");
    this.discovery = new IssuerDiscovery(issuer, retriever, clock, options.discoveryRetryInterval());
  }

  String issuer() {
    return issuer;
  }

  boolean allows(JWSAlgorithm algorithm) {
    return algorithms.contains(algorithm);
  }

  /** Whether this issuer's tokens may carry {@code typ} (null when the header has none). */
  boolean acceptsType(JOSEObjectType typ) {
    return tokenTypes.accepts(typ == null ? null : typ.getType());
  }

  String acceptedTypes() {
    return tokenTypes.types() + (tokenTypes.absentAllowed() ? " or none" : "");
  }

  IssuerDiscovery discovery() {
    return discovery;
  }

  /**
   * Discovers the issuer and fetches its keys, unless both are done already, so the first token
   * does not wait for them and readiness can be reported. Blocks for at most a discovery fetch and
   * a JWKS fetch (with its retry).
   *
   * @return whether the keys are loaded now
   */
  boolean loadKeys() {
    if (keyFetches.last() != null) {
      return true;
    }
    if (!discovery.attempt()) {
      return false;
    }
    Checked<DefaultJWTProcessor<VerificationContext>> built = processor();
    if (built instanceof Checked.Failed<DefaultJWTProcessor<VerificationContext>>) {
      return false;
    }
    ClockedJWKSource source;
    synchronized (this) {
      source = keys;
    }
    try {
      source.load();
    } catch (KeySourceException e) {
      return false;
    }
    return keyFetches.last() != null;
  }

  /** Cheap and lock-free: reads what the last JWKS fetch left behind. */
  IssuerKeyStatus keyStatus() {
    KeyFetches.Fetch last = keyFetches.last();
    return last == null
        ? new IssuerKeyStatus(issuer, Optional.empty(), 0)
        : new IssuerKeyStatus(issuer, Optional.of(last.at()), last.keyCount());
  }

  /**
   * Checks signature, claims, mapping and the issuer's MFA floor; the result is what the token
   * proves, ready to cache.
   */
  Checked<VerifiedTokenCache.Entry> verify(UnverifiedToken token) {
    return processor()
        .then(jwtProcessor -> signedClaims(jwtProcessor, token))
        .then(claims -> claimsPolicy.check(claims, clock.instant())
            .then(times -> identityMapper.map(claims, times)
                .then(mfaGate::check)
                .then(identity -> Checked.ok(
                    new VerifiedTokenCache.Entry(identity, times, claimsPolicy.clockSkew())))));
  }

  /** The claims, once the signature verified with one of this issuer's published keys. */
  private Checked<JWTClaimsSet> signedClaims(
      DefaultJWTProcessor<VerificationContext> jwtProcessor, UnverifiedToken token) {
    VerificationContext context = new VerificationContext();
    String keyInfo = "alg " + token.jwt().getHeader().getAlgorithm()
        + ", kid " + Failures.printable(token.jwt().getHeader().getKeyID()) + ", issuer " + issuer;
    try {
      return Checked.ok(jwtProcessor.process(token.jwt(), context));
    } catch (BadJWSException e) {
      return Checked.failed(Failures.badSignature(
          "signature matches none of " + context.keyCandidates() + " published key(s) (" + keyInfo + ")"));
    } catch (BadJOSEException e) {
      if (context.keyCandidates() == 0) {
        return Checked.failed(Failures.unknownKey("no published key matches (" + keyInfo + ")"
            + (context.refetchRateLimited() ? "; JWKS refetch skipped by rate limit" : "")));
      }
      return Checked.failed(Failures.badSignature("rejected: " + e.getMessage() + " (" + keyInfo + ")"));
    } catch (KeySourceException e) {
      return Checked.failed(Failures.idpUnavailable("cannot get the keys (" + keyInfo + "): " + e.getMessage()));
    } catch (JOSEException e) {
      return Checked.failed(Failures.badSignature("verification error: " + e.getMessage() + " (" + keyInfo + ")"));
    }
  }

  private Checked<DefaultJWTProcessor<VerificationContext>> processor() {
    DefaultJWTProcessor<VerificationContext> built = processor;
    if (built != null) {
      return Checked.ok(built);
    }
    return discovery.jwksUri().then(jwksUri -> {
      synchronized (this) {
        if (processor == null) {
          keys = IssuerKeys.build(issuer, jwksUri, retriever, clock, options, executor, keyFetches);
          processor = newProcessor(keys);
        }
        return Checked.ok(processor);
      }
    });
  }

  private DefaultJWTProcessor<VerificationContext> newProcessor(ClockedJWKSource issuerKeys) {
    DefaultJWTProcessor<VerificationContext> jwtProcessor = new DefaultJWTProcessor<>();
    jwtProcessor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(withAbsent(ACCEPTED_TYPES)));
    jwtProcessor.setJWSKeySelector(new IssuerKeySelector(algorithms, issuerKeys));
    jwtProcessor.setJWSVerifierFactory(new CountingVerifierFactory(signatureChecks));
    // Claims are checked by ClaimsPolicy against the injected clock; Nimbus' verifier reads the wall clock.
    jwtProcessor.setJWTClaimsSetVerifier(null);
    return jwtProcessor;
  }

  private static Set<JOSEObjectType> withAbsent(Set<JOSEObjectType> types) {
    Set<JOSEObjectType> out = new HashSet<>(types);
    out.add(null); // no typ header at all is fine (RFC 7519 §5.1 makes it optional)
    return out;
  }

  @Override
  public synchronized void close() {
    if (keys != null) {
      try {
        keys.close();
      } catch (IOException e) {
        // Closing only drops cached keys and background refresh; nothing to recover.
      }
    }
  }
}
