package dev.kgate.auth.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.AuthResult;
import dev.kgate.auth.Authenticator;
import dev.kgate.auth.IssuerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies OIDC bearer tokens (signed JWTs) from one or more trusted issuers and maps them to a
 * Kubernetes {@link dev.kgate.auth.Identity}. Cheap checks (missing, oversized or malformed
 * tokens, unknown issuers, refused algorithms or token types) and verified-token cache hits complete at once on
 * the caller's thread; everything that fetches keys or checks a signature runs on this
 * authenticator's own threads ({@code kgate-auth-N}), so a Netty event loop never waits. The
 * returned future never fails: every refusal is an {@link AuthFailure}.
 *
 * <p>Discovery and a first JWKS fetch of every issuer start at creation, in the background, and are
 * retried with backoff (0.5 s doubling up to the discovery retry interval) until they succeed, so
 * an IdP that was down at start is picked up without a token having to arrive; a token that
 * arrives first may trigger them too. {@link #keysLoaded()} tells whether every issuer's keys are
 * in. Close it to stop its threads.
 */
public final class OidcAuthenticator implements Authenticator, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OidcAuthenticator.class);

  /** Wait before the second background attempt to load an issuer's keys; it doubles from there. */
  private static final Duration LOAD_FIRST_BACKOFF = Duration.ofMillis(500);

  private final Map<String, IssuerVerifier> verifiers;
  private final Clock clock;
  private final OidcOptions options;
  private final ThreadPoolExecutor executor;
  private final VerifiedTokenCache cache;
  private final AtomicLong signatureChecks = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean closed;

  private OidcAuthenticator(List<IssuerSettings> issuers, Clock clock, OidcOptions options) {
    this.clock = clock;
    this.options = options;
    this.cache = new VerifiedTokenCache(options.tokenCacheSize());
    this.executor = new ThreadPoolExecutor(options.threads(), options.threads(), 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), new AuthThreadFactory());
    Map<String, IssuerVerifier> byIssuer = new LinkedHashMap<>();
    for (IssuerSettings settings : issuers) {
      IssuerVerifier verifier = new IssuerVerifier(
          settings,
          IssuerSettingsCheck.algorithms(settings),
          IdpHttp.retriever(options.httpConnectTimeout(), options.httpReadTimeout(), settings.caFile()),
          clock, options, executor, signatureChecks);
      byIssuer.put(verifier.issuer(), verifier);
    }
    this.verifiers = Collections.unmodifiableMap(byIssuer); // keeps configuration order
  }

  /**
   * Creates the authenticator and starts discovery of every issuer in the background; never waits
   * for the network.
   *
   * @throws IllegalArgumentException when the list is empty, names an issuer twice, or any
   *     settings have a problem {@link IssuerSettingsCheck#problems} reports
   */
  public static OidcAuthenticator create(List<IssuerSettings> issuers, Clock clock, OidcOptions options) {
    Objects.requireNonNull(issuers, "issuers");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(options, "options");
    List<String> problems = new ArrayList<>();
    if (issuers.isEmpty()) {
      problems.add("at least one issuer is required");
    }
    List<String> seen = new ArrayList<>();
    for (IssuerSettings settings : issuers) {
      String issuer = settings.issuer().toString();
      if (seen.contains(issuer)) {
        problems.add(issuer + ": configured twice");
      }
      seen.add(issuer);
      IssuerSettingsCheck.problems(settings).forEach(problem -> problems.add(issuer + ": " + problem));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("unusable OIDC issuer settings: " + String.join("; ", problems));
    }
    OidcAuthenticator authenticator = new OidcAuthenticator(issuers, clock, options);
    authenticator.verifiers.values().forEach(verifier -> authenticator.loadKeysInBackground(verifier, 1));
    return authenticator;
  }

  @Override
  public CompletableFuture<AuthResult> authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.isBlank()) {
      return done(Failures.missingToken());
    }
    if (bearerToken.length() > TokenParser.MAX_TOKEN_CHARS) {
      return done(Failures.malformed("token is " + bearerToken.length() + " characters, over the limit of "
          + TokenParser.MAX_TOKEN_CHARS));
    }
    String key = VerifiedTokenCache.keyOf(bearerToken);
    Optional<VerifiedTokenCache.Entry> hit = cache.get(key);
    if (hit.isPresent()) {
      return done(fromCache(key, hit.get()));
    }
    Checked<UnverifiedToken> parsed = TokenParser.parse(bearerToken);
    if (parsed instanceof Checked.Failed<UnverifiedToken> failed) {
      return done(failed.failure());
    }
    UnverifiedToken token = ((Checked.Ok<UnverifiedToken>) parsed).value();
    IssuerVerifier verifier = verifiers.get(token.issuer());
    if (verifier == null) {
      return done(Failures.untrustedIssuer("iss " + Failures.printable(token.issuer()) + " is not a configured issuer"));
    }
    JWSAlgorithm algorithm = token.jwt().getHeader().getAlgorithm();
    if (!verifier.allows(algorithm)) {
      return done(Failures.disallowedAlgorithm("alg " + Failures.printable(algorithm.getName())
          + " is not allowed for " + verifier.issuer()));
    }
    JOSEObjectType typ = token.jwt().getHeader().getType();
    if (!verifier.acceptsType(typ)) {
      return done(Failures.malformed("token type (typ) " + Failures.printable(typ == null ? null : typ.getType())
          + " is not accepted for " + verifier.issuer() + "; expected " + verifier.acceptedTypes()));
    }
    return submit(verifier, token, key);
  }

  /**
   * Whether every configured issuer's signing keys have been fetched, so tokens of every issuer can
   * be verified without waiting for the IdP: the readiness signal. Cheap, never blocks, safe from any
   * thread; false once closed. Stays true through later IdP outages, since the cached keys keep
   * verifying; see {@link #keyStatus()} for when each issuer last answered.
   */
  public boolean keysLoaded() {
    return !closed && verifiers.values().stream().allMatch(verifier -> verifier.keyStatus().loaded());
  }

  /** Per issuer, in configuration order: whether its keys are loaded and when they were last fetched. */
  public List<IssuerKeyStatus> keyStatus() {
    return verifiers.values().stream().map(IssuerVerifier::keyStatus).toList();
  }

  /** Counters for metrics and tests. */
  public OidcStats stats() {
    return new OidcStats(signatureChecks.get(), cacheHits.get(), cache.size());
  }

  /** Stops the threads; verifications still queued complete as IDP_UNAVAILABLE. */
  @Override
  public void close() {
    closed = true;
    for (Runnable queued : executor.shutdownNow()) {
      if (queued instanceof Verification verification) {
        verification.abandon();
      }
    }
    verifiers.values().forEach(IssuerVerifier::close);
  }

  private AuthResult fromCache(String key, VerifiedTokenCache.Entry entry) {
    cacheHits.incrementAndGet();
    Optional<AuthFailure> timeProblem = entry.times().check(clock.instant(), entry.clockSkew());
    if (timeProblem.isPresent()) {
      cache.remove(key);
      return timeProblem.get();
    }
    return new AuthResult.Authenticated(entry.identity());
  }

  private CompletableFuture<AuthResult> submit(IssuerVerifier verifier, UnverifiedToken token, String key) {
    if (closed) {
      return done(Failures.idpUnavailable("the authenticator is shut down"));
    }
    if (pending.incrementAndGet() > options.maxPending()) {
      pending.decrementAndGet();
      return done(Failures.busy(options.maxPending() + " token verifications already pending"));
    }
    Verification verification = new Verification(verifier, token, key);
    try {
      executor.execute(verification);
    } catch (RejectedExecutionException e) {
      verification.abandon();
    }
    return verification.result;
  }

  private void loadKeysInBackground(IssuerVerifier verifier, int attempt) {
    if (closed) {
      return;
    }
    try {
      executor.execute(() -> {
        if (!closed && !verifier.loadKeys()) {
          long backoff = Math.min(LOAD_FIRST_BACKOFF.toMillis() << Math.min(attempt - 1, 20),
              options.discoveryRetryInterval().toMillis());
          CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS)
              .execute(() -> loadKeysInBackground(verifier, attempt + 1));
        }
      });
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: nothing left to load keys for.
    }
  }

  private static CompletableFuture<AuthResult> done(AuthResult result) {
    return CompletableFuture.completedFuture(result);
  }

  /** One queued verification; it always completes its future, whatever happens to it. */
  private final class Verification implements Runnable {

    private final IssuerVerifier verifier;
    private final UnverifiedToken token;
    private final String key;
    private final CompletableFuture<AuthResult> result = new CompletableFuture<>();

    Verification(IssuerVerifier verifier, UnverifiedToken token, String key) {
      this.verifier = verifier;
      this.token = token;
      this.key = key;
    }

    @Override
    public void run() {
      AuthResult outcome;
      try {
        Checked<VerifiedTokenCache.Entry> verified = verifier.verify(token);
        if (verified instanceof Checked.Ok<VerifiedTokenCache.Entry> ok) {
          cache.put(key, ok.value());
          outcome = new AuthResult.Authenticated(ok.value().identity());
        } else {
          outcome = ((Checked.Failed<VerifiedTokenCache.Entry>) verified).failure();
          LOG.debug("token refused: {} {}", ((AuthFailure) outcome).reason(), ((AuthFailure) outcome).detail());
        }
      } catch (RuntimeException e) {
        // A bug, not a verdict on the token: fail closed, and tell the person to retry.
        LOG.warn("token verification for {} failed unexpectedly", verifier.issuer(), e);
        outcome = Failures.idpUnavailable("internal error during verification: " + e.getClass().getName());
      }
      pending.decrementAndGet();
      result.complete(outcome);
    }

    void abandon() {
      pending.decrementAndGet();
      result.complete(Failures.idpUnavailable("the authenticator shut down before verifying the token"));
    }
  }

  /** Daemon threads named {@code kgate-auth-N}, numbered per authenticator. */
  private static final class AuthThreadFactory implements ThreadFactory {

    private final AtomicInteger next = new AtomicInteger(1);

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "kgate-auth-" + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    }
  }
}
