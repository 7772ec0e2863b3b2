package dev.kgate.auth.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.kgate.auth.IssuerSettings.ClaimMapping;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies the claims an issuer chose ({@code acr}, {@code amr}, {@code sid}, {@code iss}, ...) into
 * the identity's extra attributes, which reach the API server as {@code Impersonate-Extra-*}
 * headers and its audit log, under lowercase keys such as {@code kgate.dev/acr}.
 *
 * <p>Only scalar values and lists of scalars are copied; a missing claim adds no key and a JSON
 * object is left out, since neither has a faithful list-of-strings form. Keys are fixed by the
 * configuration, never by the token, so a token cannot choose which extra headers appear.
 */
final class ExtraClaims {

  private final List<String> claims;

  ExtraClaims(List<String> claims) {
    this.claims = List.copyOf(claims);
  }

  Map<String, List<String>> of(JWTClaimsSet token) {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    for (String claim : claims) {
      List<String> values = values(token.getClaim(claim));
      if (!values.isEmpty()) {
        extra.put(ClaimMapping.extraKey(claim), values);
      }
    }
    return extra;
  }

  private static List<String> values(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object element : list) {
        String text = scalar(element);
        if (text != null) {
          out.add(text);
        }
      }
    } else {
      String text = scalar(value);
      if (text != null) {
        out.add(text);
      }
    }
    return out;
  }

  private static String scalar(Object value) {
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    if (value instanceof Date date) {
      return String.valueOf(date.toInstant().getEpochSecond());
    }
    return null;
  }
}
