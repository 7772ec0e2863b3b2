package dev.kgate.auth.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.kgate.auth.IssuerSettings;
import java.net.URI;
import java.time.Duration;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the OIDC verifier needs of an {@link IssuerSettings}, as a list of problems a config loader
 * can report all at once. {@link OidcAuthenticator#create} refuses settings with any problem.
 *
 * <p>Threat: an allow-list with HMAC or {@code none} lets anyone holding the "secret" (for HS*,
 * often the IdP's public key) or nobody at all mint tokens, so only asymmetric algorithms pass:
 * RSA (RS*, PS*), ECDSA on the NIST curves, and EdDSA.
 */
public final class IssuerSettingsCheck {

  /** Every JWS algorithm name the verifier can check; the settings choose among them. */
  public static final Set<String> SUPPORTED_ALGORITHMS = supported();

  /** A claim name that makes a valid extra key suffix after lowercasing. */
  private static final Pattern EXTRA_CLAIM_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,63}");

  private IssuerSettingsCheck() {}

  /** @return human-readable problems, empty when the settings can be used */
  public static List<String> problems(IssuerSettings settings) {
    List<String> problems = new ArrayList<>();
    URI issuer = settings.issuer();
    IdpUrls.problem(issuer).ifPresent(problem -> problems.add("issuer: " + problem));
    if (issuer.getRawQuery() != null || issuer.getRawFragment() != null || issuer.getRawUserInfo() != null) {
      problems.add("issuer: an issuer URL has no query, fragment or user info");
    }
    if (settings.audiences().isEmpty() || settings.audiences().stream().anyMatch(a -> a == null || a.isBlank())) {
      problems.add("audiences: at least one non-empty accepted audience is required");
    }
    for (String name : settings.algorithms()) {
      if (!SUPPORTED_ALGORITHMS.contains(name)) {
        problems.add("algorithms: " + name + " is not accepted; use asymmetric ones such as RS256, PS256, ES256, EdDSA");
      }
    }
    if (settings.clockSkew().isNegative() || settings.clockSkew().compareTo(Duration.ofMinutes(10)) > 0) {
      problems.add("clockSkew: must be between 0 and 10 minutes, got " + settings.clockSkew());
    }
    if (settings.claims().username().isBlank()) {
      problems.add("claims.username: the claim to use as user name is required");
    }
    problems.addAll(tokenTypeProblems(settings.tokenTypes()));
    problems.addAll(claimProblems(settings.claims()));
    problems.addAll(mfaProblems(settings.mfa()));
    if (settings.caFile() != null) {
      try {
        IdpHttp.trusting(settings.caFile());
      } catch (IllegalArgumentException e) {
        problems.add("caFile: " + e.getMessage());
      }
    }
    return problems;
  }

  private static List<String> tokenTypeProblems(IssuerSettings.TokenTypes types) {
    List<String> problems = new ArrayList<>();
    if (types.types().isEmpty() && !types.absentAllowed()) {
      problems.add("typ: at least one accepted token type is required");
    }
    for (String type : types.types()) {
      if (!IssuerSettings.TokenTypes.KNOWN.contains(type)) {
        problems.add("typ: " + type + " is not a token type kgate accepts; use JWT, at+jwt or absent");
      }
    }
    return problems;
  }

  private static List<String> claimProblems(ClaimMapping claims) {
    List<String> problems = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (String claim : claims.extra()) {
      if (claim == null || !EXTRA_CLAIM_NAME.matcher(claim).matches()) {
        problems.add("claims.extra: " + claim + " is not a claim name that can become an extra key"
            + " (letters, digits, '_', '-', '.'; at most 63 characters)");
      } else if (!keys.add(ClaimMapping.extraKey(claim))) {
        problems.add("claims.extra: " + claim + " is listed twice (keys are lowercase)");
      }
    }
    claims.required().forEach((claim, value) -> {
      if (claim == null || claim.isBlank()) {
        problems.add("claims.required: a claim name is empty");
      } else if (value == null || value.isEmpty()) {
        problems.add("claims.required." + claim + ": the required value is empty");
      }
    });
    return problems;
  }

  private static List<String> mfaProblems(IssuerSettings.MfaRule mfa) {
    List<String> problems = new ArrayList<>();
    if (mfa.amrAny().stream().anyMatch(String::isBlank)) {
      problems.add("mfa.amrAny: values must not be empty");
    }
    if (mfa.acrAny().stream().anyMatch(String::isBlank)) {
      problems.add("mfa.acrAny: values must not be empty");
    }
    return problems;
  }

  /** The settings' allow-list as Nimbus algorithms; the defaults when the settings name none. */
  static Set<JWSAlgorithm> algorithms(IssuerSettings settings) {
    Set<String> names = settings.algorithms().isEmpty() ? IssuerSettings.DEFAULT_ALGORITHMS : settings.algorithms();
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (String name : names) {
      out.add(JWSAlgorithm.parse(name));
    }
    return out;
  }

  private static Set<String> supported() {
    Set<JWSAlgorithm> out = new LinkedHashSet<>(JWSAlgorithm.Family.RSA);
    // ES256K is left out: its curve (secp256k1) is gone from the JDK since Java 16.
    out.addAll(List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512));
    out.addAll(JWSAlgorithm.Family.ED);
    Set<String> names = new LinkedHashSet<>();
    out.forEach(algorithm -> names.add(algorithm.getName()));
    return Set.copyOf(names);
  }
}
