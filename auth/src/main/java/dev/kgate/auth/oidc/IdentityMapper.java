package dev.kgate.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kgate.auth.AuthFailure;
import dev.kgate.auth.Identity;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the verified claims of one issuer's token into the Kubernetes identity the gateway will
 * impersonate, following that issuer's {@link ClaimMapping}.
 *
 * <p>Threat: whoever controls a claim controls the impersonated user. So an {@code email} user name
 * counts only when the IdP says it verified the address ({@code email_verified: true}), a user name
 * that is empty or lands in the API server's reserved {@code system:} namespace is refused, and
 * groups in {@code system:} (e.g. {@code system:masters}) are dropped rather than passed on. The
 * issuer's required-claim rules ({@link RequiredClaims}) run first, so an account of the wrong
 * tenant is refused for that reason before anything else is read from its token.
 */
final class IdentityMapper {

  private static final String RESERVED_PREFIX = "system:";
  private static final String EMAIL = "email";

  private final String issuer;
  private final ClaimMapping mapping;
  private final RequiredClaims requiredClaims;
  private final ExtraClaims extraClaims;

  IdentityMapper(String issuer, ClaimMapping mapping) {
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.mapping = Objects.requireNonNull(mapping, "mapping");
    this.requiredClaims = new RequiredClaims(issuer, mapping.required());
    this.extraClaims = new ExtraClaims(mapping.extra());
  }

  /** @param claims claims whose signature, issuer, audience, {@code sub} and times were checked */
  Checked<Identity> map(JWTClaimsSet claims, TokenTimes times) {
    return requiredClaims.check(claims)
        .then(this::username)
        .then(username -> groups(claims).then(groups -> Checked.ok(new Identity(
            username,
            claims.getSubject(),
            groups,
            extraClaims.of(claims),
            issuer,
            claims.getSubject(),
            strings(claims.getClaim("amr")),
            claims.getClaim("acr") instanceof String acr ? acr : null,
            authTime(claims.getClaim("auth_time")),
            times.expiresAt()))));
  }

  private Checked<String> username(JWTClaimsSet claims) {
    String claim = mapping.username();
    Object value = claims.getClaim(claim);
    if (value == null) {
      return Checked.failed(Failures.mappingFailed(
          "your token has no \"" + claim + "\" claim, which this gateway uses as your user name:"
              + " ask your identity provider's administrator",
          "username claim " + claim + " missing in token from " + issuer));
    }
    if (!(value instanceof String name)) {
      return Checked.failed(Failures.mappingFailed(
          "the \"" + claim + "\" claim in your token is not text, so it cannot be your user name:"
              + " ask your identity provider's administrator",
          "username claim " + claim + " is a " + value.getClass().getSimpleName() + " in token from " + issuer));
    }
    if (EMAIL.equals(claim) && !Boolean.TRUE.equals(claims.getClaim("email_verified"))) {
      return Checked.failed(Failures.mappingFailed(
          "your identity provider has not verified your email address, which this gateway uses as"
              + " your user name: verify it with your identity provider, then run \"kgate login\"",
          "email_verified is not true in token from " + issuer));
    }
    if (name.isBlank()) {
      return Checked.failed(Failures.mappingFailed(
          "the \"" + claim + "\" claim in your token is empty, so it cannot be your user name:"
              + " ask your identity provider's administrator",
          "username claim " + claim + " is empty in token from " + issuer));
    }
    String username = mapping.usernamePrefix() + name;
    if (username.startsWith(RESERVED_PREFIX)) {
      return Checked.failed(Failures.mappingFailed(
          "your user name falls in the reserved \"system:\" namespace of Kubernetes:"
              + " ask your identity provider's administrator",
          "mapped username starts with system: (claim " + claim + ", issuer " + issuer + ")"));
    }
    return Checked.ok(username);
  }

  /** A JSON list of strings or one comma-separated string; a missing claim means no groups. */
  private Checked<List<String>> groups(JWTClaimsSet claims) {
    String claim = mapping.groups();
    Object value = claim == null ? null : claims.getClaim(claim);
    List<String> names = new ArrayList<>();
    if (value instanceof String text) {
      names.addAll(List.of(text.split(",")));
    } else if (value instanceof List<?> list) {
      for (Object element : list) {
        if (!(element instanceof String name)) {
          return Checked.failed(groupsNotText(claim));
        }
        names.add(name);
      }
    } else if (value != null) {
      return Checked.failed(groupsNotText(claim));
    }
    Set<String> groups = new LinkedHashSet<>();
    for (String name : names) {
      String group = mapping.groupsPrefix() + name.strip();
      if (!name.isBlank() && !group.startsWith(RESERVED_PREFIX)) {
        groups.add(group);
      }
    }
    return Checked.ok(List.copyOf(groups));
  }

  private AuthFailure groupsNotText(String claim) {
    return Failures.mappingFailed(
        "the \"" + claim + "\" claim in your token is neither a list of names nor a comma-separated"
            + " text: ask your identity provider's administrator",
        "groups claim " + claim + " has an unexpected JSON type in token from " + issuer);
  }

  /** {@code amr} is a list (RFC 8176); some IdPs send one string. Other values are ignored. */
  private static List<String> strings(Object value) {
    if (value instanceof String single) {
      return List.of(single);
    }
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        if (element instanceof String text) {
          out.add(text);
        }
      }
    }
    return out;
  }

  private static Instant authTime(Object value) {
    if (value instanceof Number seconds) {
      return Instant.ofEpochSecond(seconds.longValue());
    }
    if (value instanceof Date date) {
      return date.toInstant();
    }
    return null;
  }
}
