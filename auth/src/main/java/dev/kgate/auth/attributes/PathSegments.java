package dev.kgate.auth.attributes;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a raw request path into percent-decoded segments, refusing every form that a proxy and
 * an API server could read differently. The API server authorizes the decoded path
 * ({@code req.URL.Path}) while routers and intermediaries may act on the raw one, so an encoded
 * {@code /} turns {@code a%2Fb} into two segments for one party and one for the other; {@code ..},
 * {@code .}, {@code //} and {@code \} are cleaned by some layers and not by others; {@code ;}
 * starts path parameters in servlet-style servers. None of these is needed by kubectl, so each is
 * refused rather than normalised: a normalisation we guess wrong is an authorization bypass.
 *
 * <p>The path is split on raw {@code /} first and each segment is decoded on its own, which is what
 * makes an encoded {@code /} visible. One trailing slash is accepted, as the API server accepts it
 * ({@code splitPath} trims it).
 */
final class PathSegments {

  /**
   * A decoded path.
   *
   * @param segments      the decoded segments, none empty; empty for {@code /}
   * @param trailingSlash whether the raw path ended in {@code /} (and was not just {@code /})
   */
  record Decoded(List<String> segments, boolean trailingSlash) {

    Decoded {
      segments = List.copyOf(segments);
    }

    /** The decoded path as the API server's {@code req.URL.Path} would read. */
    String path() {
      if (segments.isEmpty()) {
        return "/";
      }
      return "/" + String.join("/", segments) + (trailingSlash ? "/" : "");
    }
  }

  private PathSegments() {}

  /** The decoded path; throws a {@link Refusal} saying what is wrong with it. */
  static Decoded decode(String rawPath) {
    Objects.requireNonNull(rawPath, "rawPath");
    if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
      throw new Refusal("the request path must start with '/'");
    }
    for (int i = 0; i < rawPath.length(); i++) {
      checkRawCharacter(rawPath.charAt(i));
    }
    if (rawPath.equals("/")) {
      return new Decoded(List.of(), false);
    }
    boolean trailingSlash = rawPath.endsWith("/");
    String body = rawPath.substring(1, trailingSlash ? rawPath.length() - 1 : rawPath.length());
    List<String> segments = new ArrayList<>();
    int start = 0;
    while (start <= body.length()) {
      int end = body.indexOf('/', start);
      if (end < 0) {
        end = body.length();
      }
      String raw = body.substring(start, end);
      if (raw.isEmpty()) {
        throw new Refusal("the request path has an empty segment ('//')");
      }
      segments.add(decodeSegment(raw));
      start = end + 1;
    }
    return new Decoded(segments, trailingSlash);
  }

  private static void checkRawCharacter(char c) {
    if (c == ';') {
      throw new Refusal("the request path has a ';' parameter");
    }
    if (c == '\\') {
      throw new Refusal("the request path has a backslash");
    }
    if (c <= 0x20 || c >= 0x7f) {
      throw new Refusal("the request path has a character that must be percent-encoded");
    }
    if ("\"<>^`{|}#?[]".indexOf(c) >= 0) {
      throw new Refusal("the request path has a character that must be percent-encoded");
    }
  }

  private static String decodeSegment(String raw) {
    String text = PercentDecoding.decode(raw, false, "the request path");
    if (!text.equals(raw)) {
      checkDecoded(text);
    }
    if (text.equals(".") || text.equals("..")) {
      throw new Refusal("the request path has a dot segment ('" + text + "')");
    }
    return text;
  }

  private static void checkDecoded(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '/') {
        throw new Refusal("the request path has an encoded '/'");
      }
      if (c == 0) {
        throw new Refusal("the request path has an encoded NUL");
      }
      if (c == '\\') {
        throw new Refusal("the request path has a backslash");
      }
      if (c == ';') {
        throw new Refusal("the request path has a ';' parameter");
      }
      if (c < 0x20 || c == 0x7f) {
        throw new Refusal("the request path has a control character");
      }
    }
  }
}
