package dev.kgate.bench;

import dev.kgate.auth.AuthResult;
import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import dev.kgate.auth.IssuerSettings.MfaRule;
import dev.kgate.auth.oidc.OidcAuthenticator;
import dev.kgate.auth.oidc.OidcOptions;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one bearer token costs the gateway: a cold verification (parse, RS256 signature with the
 * issuer's cached JWK set, claim rules, mapping, MFA floor, including the hop to a verification
 * thread) against a verified-token cache hit (a SHA-256 of the token and the time rules).
 * The cold authenticator has its cache turned off, so every call pays the full price.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenVerificationBenchmark {

  private LocalIssuer issuer;
  private OidcAuthenticator uncached;
  private OidcAuthenticator cached;
  private String token;

  @Setup(Level.Trial)
  public void start() throws Exception {
    issuer = new LocalIssuer();
    IssuerSettings settings = new IssuerSettings(issuer.issuer(), List.of(LocalIssuer.AUDIENCE), "kubectl",
        IssuerSettings.DEFAULT_ALGORITHMS, IssuerSettings.DEFAULT_CLOCK_SKEW,
        new ClaimMapping("email", "oidc:", "groups", "oidc:").withExtra(List.of("acr", "amr", "sid")), null)
        .withMfa(new MfaRule(Set.of("mfa", "otp", "hwk"), Set.of()));
    uncached = OidcAuthenticator.create(List.of(settings), Clock.systemUTC(), OidcOptions.DEFAULTS.withTokenCacheSize(0));
    cached = OidcAuthenticator.create(List.of(settings), Clock.systemUTC(), OidcOptions.DEFAULTS);
    token = issuer.token("alice");
    // The first verification fetches discovery and keys: keep that out of the measurement.
    requireAccepted(uncached.authenticate(token).get(10, TimeUnit.SECONDS));
    requireAccepted(cached.authenticate(token).get(10, TimeUnit.SECONDS));
  }

  @TearDown(Level.Trial)
  public void stop() {
    uncached.close();
    cached.close();
    issuer.close();
  }

  @Benchmark
  public AuthResult coldVerification() {
    return uncached.authenticate(token).join();
  }

  @Benchmark
  public AuthResult cachedVerification() {
    return cached.authenticate(token).join();
  }

  private static void requireAccepted(AuthResult result) {
    if (!(result instanceof AuthResult.Authenticated)) {
      throw new IllegalStateException("the benchmark token is refused, numbers would be meaningless: " + result);
    }
  }
}
