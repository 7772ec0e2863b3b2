package dev.kgate.auth.oidc;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where an issuer publishes its keys, through OpenID Connect discovery
 * ({@code <issuer>/.well-known/openid-configuration}).
 *
 * <p>Threat: a discovery document from the wrong place could point the gateway at an attacker's
 * keys. So the document must name exactly the configured issuer (OIDC Discovery §4.3), and its
 * {@code jwks_uri} must be https (or loopback http). Until discovery succeeds, tokens of this issuer
 * fail as IDP_UNAVAILABLE; a request may trigger a new attempt at most once per retry interval.
 */
final class IssuerDiscovery {

  private static final Logger LOG = LoggerFactory.getLogger(IssuerDiscovery.class);
  private static final String WELL_KNOWN = "/.well-known/openid-configuration";

  private final String issuer;
  private final URL documentUrl;
  private final ResourceRetriever retriever;
  private final Clock clock;
  private final Duration retryInterval;
  private final Object lock = new Object();

  private volatile URL jwksUri;
  private Instant lastAttempt; // guarded by lock
  private String lastProblem = "not attempted yet"; // guarded by lock

  IssuerDiscovery(String issuer, ResourceRetriever retriever, Clock clock, Duration retryInterval) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.retriever = Objects.requireNonNull(retriever, "retriever");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval");
    this.documentUrl = documentUrl(issuer);
  }

  /** The discovery URL for an issuer: a trailing slash on the issuer is not doubled. */
  static URL documentUrl(String issuer) {
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    try {
      return new URI(base + WELL_KNOWN).toURL();
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      throw new IllegalArgumentException("issuer " + issuer + " gives no valid discovery URL", e);
    }
  }

  /** One attempt now, unless discovery already succeeded. Blocks for at most one fetch. */
  boolean attempt() {
    synchronized (lock) {
      return jwksUri != null || fetchLocked();
    }
  }

  /**
   * The issuer's {@code jwks_uri}, discovering it now if it is not known yet and the last attempt
   * is older than the retry interval. Blocks for at most one fetch.
   */
  Checked<URL> jwksUri() {
    URL known = jwksUri;
    if (known != null) {
      return Checked.ok(known);
    }
    synchronized (lock) {
      if (jwksUri == null) {
        boolean tooSoon = lastAttempt != null && clock.instant().isBefore(lastAttempt.plus(retryInterval));
        if (tooSoon || !fetchLocked()) {
          return Checked.failed(Failures.idpUnavailable(
              "OIDC discovery for " + issuer + " has not succeeded: " + lastProblem));
        }
      }
      return Checked.ok(jwksUri);
    }
  }

  private boolean fetchLocked() {
    lastAttempt = clock.instant();
    Optional<String> problem = fetch();
    if (problem.isPresent()) {
      lastProblem = problem.get();
      LOG.warn("OIDC discovery for {} failed: {}", issuer, lastProblem);
      return false;
    }
    LOG.info("OIDC discovery for {}: keys at {}", issuer, jwksUri);
    return true;
  }

  /** Fetches and checks the document; sets {@link #jwksUri} on success. */
  private Optional<String> fetch() {
    Map<String, Object> document;
    try {
      document = JSONObjectUtils.parse(retriever.retrieveResource(documentUrl).getContent());
    } catch (IOException e) {
      return Optional.of("cannot fetch " + documentUrl + ": " + e.getMessage());
    } catch (ParseException e) {
      return Optional.of(documentUrl + " is not a JSON object");
    }
    Object named = document.get("issuer");
    if (!issuer.equals(named)) {
      return Optional.of(documentUrl + " names issuer " + Failures.printable(String.valueOf(named))
          + ", expected exactly " + issuer);
    }
    if (!(document.get("jwks_uri") instanceof String jwks)) {
      return Optional.of(documentUrl + " has no jwks_uri");
    }
    try {
      URI uri = new URI(jwks);
      Optional<String> problem = IdpUrls.problem(uri);
      if (problem.isPresent()) {
        return Optional.of("jwks_uri: " + problem.get());
      }
      jwksUri = uri.toURL();
      return Optional.empty();
    } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
      return Optional.of("jwks_uri " + Failures.printable(jwks) + " is not a valid URL");
    }
  }
}
