package dev.kgate.auth.oidc;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.kgate.auth.AuthFailure;
import java.text.ParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a raw bearer string into an {@link UnverifiedToken}, refusing anything that is not a
 * compact signed JWT of an accepted type before any key is fetched or signature computed.
 *
 * <p>Threat: a parser that is lenient costs CPU and opens confusion attacks. So the size is capped
 * before parsing, every segment must be strict base64url (Nimbus' decoder skips stray characters),
 * unsigned ({@code alg: none}), encrypted and nested ({@code cty: JWT}) tokens are refused outright,
 * a {@code crit} header we do not understand is refused (RFC 7515 §4.1.11), and only the token types
 * an IdP uses for access and ID tokens pass.
 */
final class TokenParser {

  /** Longer than any real access token (Keycloak's with many groups stay under 8 KiB). */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** {@code typ} values accepted, compared without case and without an "application/" prefix. */
  private static final Set<String> ACCEPTED_TYPES = Set.of("jwt", "at+jwt");

  private TokenParser() {}

  static Checked<UnverifiedToken> parse(String token) {
    if (token.length() > MAX_TOKEN_CHARS) {
      return Checked.failed(Failures.malformed(
          "token is " + token.length() + " characters, over the limit of " + MAX_TOKEN_CHARS));
    }
    String[] segments = token.split("\\.", -1);
    if (segments.length == 5) {
      return Checked.failed(Failures.malformed("encrypted (JWE) tokens are not accepted"));
    }
    if (segments.length != 3) {
      return Checked.failed(Failures.malformed(
          "expected 3 dot-separated segments (a signed JWT), found " + segments.length));
    }
    for (int i = 0; i < segments.length; i++) {
      String problem = base64UrlProblem(segments[i]);
      if (problem != null) {
        return Checked.failed(Failures.malformed("segment " + (i + 1) + " " + problem));
      }
    }
    Map<String, Object> header;
    try {
      header = JSONObjectUtils.parse(new Base64URL(segments[0]).decodeToString());
    } catch (ParseException e) {
      return Checked.failed(Failures.malformed("header is not a JSON object"));
    }
    Object alg = header.get("alg");
    if (!(alg instanceof String algName)) {
      return Checked.failed(Failures.malformed("header has no \"alg\""));
    }
    if (algName.equalsIgnoreCase("none")) {
      return Checked.failed(Failures.disallowedAlgorithm("unsigned token (alg none)"));
    }
    if (segments[2].isEmpty()) {
      return Checked.failed(Failures.malformed("signature segment is empty"));
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return Checked.failed(Failures.malformed("not a signed JWT"));
    }
    // The header first: it decides how the payload is to be read (a nested token is no claims set).
    Optional<AuthFailure> headerProblem = headerProblem(jwt.getHeader());
    if (headerProblem.isPresent()) {
      return Checked.failed(headerProblem.get());
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      return Checked.failed(Failures.malformed("the payload is not a JSON claims set"));
    }
    String issuer = claims.getIssuer();
    if (issuer == null || issuer.isEmpty()) {
      return Checked.failed(Failures.missingClaim("iss", "token has no iss claim"));
    }
    return Checked.ok(new UnverifiedToken(jwt, claims, issuer));
  }

  private static Optional<AuthFailure> headerProblem(JWSHeader header) {
    Set<String> critical = header.getCriticalParams();
    if (critical != null && !critical.isEmpty()) {
      return Optional.of(Failures.malformed(
          "unsupported critical header parameter(s) " + Failures.printable(String.join(",", critical))));
    }
    String contentType = header.getContentType();
    if (contentType != null && isJwt(contentType)) {
      // A nested token (RFC 7519 §5.2, cty JWT): the payload is another JWT, not claims. Refused
      // rather than unwrapped, so the claims are always the ones the outer signature covers; and
      // refused even over a JSON payload, since a verifier that honours cty would read it otherwise.
      return Optional.of(Failures.malformed("nested token (cty " + Failures.printable(contentType)
          + ") is not accepted; expected the claims themselves"));
    }
    if (header.getType() != null) {
      String type = header.getType().getType().toLowerCase(Locale.ROOT);
      if (type.startsWith("application/")) {
        type = type.substring("application/".length());
      }
      if (!ACCEPTED_TYPES.contains(type)) {
        return Optional.of(Failures.malformed(
            "token type (typ) " + Failures.printable(header.getType().getType())
                + " is not accepted; expected JWT or at+jwt"));
      }
    }
    return Optional.empty();
  }

  /** "JWT" or "application/jwt", in any case (RFC 7515 §4.1.10 lets the prefix be left out). */
  private static boolean isJwt(String mediaType) {
    String type = mediaType.toLowerCase(Locale.ROOT);
    return type.equals("jwt") || type.equals("application/jwt");
  }

  /** Strict RFC 4648 §5 without padding, as JWS compact serialization requires. */
  private static String base64UrlProblem(String segment) {
    if (segment.length() % 4 == 1) {
      return "has an impossible base64url length";
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_';
      if (!ok) {
        return "is not base64url";
      }
    }
    return null;
  }
}
