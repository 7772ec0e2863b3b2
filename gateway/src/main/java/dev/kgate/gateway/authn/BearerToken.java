package dev.kgate.gateway.authn;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/** Reads the bearer token from {@code Authorization}; anything else counts as no token. */
public final class BearerToken {

  private static final String SCHEME = "bearer ";

  private BearerToken() {}

  /** The token, or null when there is none, there are several, or the scheme is not Bearer. */
  public static String from(HttpHeaders headers) {
    List<String> values = headers.getAll(HttpHeaderNames.AUTHORIZATION);
    if (values.size() != 1) {
      return null;
    }
    String value = values.get(0).trim();
    if (value.length() <= SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return null;
    }
    String token = value.substring(SCHEME.length()).trim();
    return token.isEmpty() ? null : token;
  }
}
