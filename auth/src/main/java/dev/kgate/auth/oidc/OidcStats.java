package dev.kgate.auth.oidc;

/**
 * Counters of an {@link OidcAuthenticator}, for metrics and for tests that must prove work was
 * saved without timing anything.
 *
 * @param signatureChecks JWS signature verifications performed since creation
 * @param cacheHits       tokens answered from the verified-token cache (accepted or expired)
 * @param cachedTokens    verified tokens currently cached
 */
public record OidcStats(long signatureChecks, long cacheHits, int cachedTokens) {}
