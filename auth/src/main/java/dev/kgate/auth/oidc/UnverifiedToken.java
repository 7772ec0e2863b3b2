package dev.kgate.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.util.Objects;

/**
 * A token that parsed as a signed JWT and passed the header rules, but whose signature and claims
 * are not checked yet. Nothing in it may be trusted except to pick which issuer verifies it.
 *
 * @param jwt    the parsed token
 * @param claims its claims, unverified
 * @param issuer its {@code iss}, unverified
 */
record UnverifiedToken(SignedJWT jwt, JWTClaimsSet claims, String issuer) {

  UnverifiedToken {
    Objects.requireNonNull(jwt, "jwt");
    Objects.requireNonNull(claims, "claims");
    Objects.requireNonNull(issuer, "issuer");
  }
}
