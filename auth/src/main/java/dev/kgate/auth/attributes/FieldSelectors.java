package dev.kgate.auth.attributes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code metadata.name} a field selector pins, exactly as apimachinery's
 * {@code fields.ParseSelector} followed by {@code RequiresExactMatch("metadata.name")} does: terms
 * split on unescaped commas and sorted, operators {@code !=}, {@code ==}, {@code =} found at the
 * first position any of them starts, values unescaped ({@code \\ \, \=}), the first sorted
 * {@code metadata.name=} or {@code ==} term wins. The API server then keeps the name only if it is
 * a valid path segment ({@code path.IsValidPathSegmentName}). kubectl sends
 * {@code fieldSelector=metadata.name=foo} for {@code kubectl get pod foo -w}, which is why a
 * role limited by {@code resourceNames} can watch its one object.
 */
final class FieldSelectors {

  private static final String NAME_FIELD = "metadata.name";
  private static final String[] OPERATORS = {"!=", "==", "="};

  private FieldSelectors() {}

  /** The exact name the selector requires, empty when none or when the selector does not parse. */
  static Optional<String> requiredName(String selector) {
    List<String> terms = splitTerms(selector);
    Collections.sort(terms);
    String found = null;
    for (String term : terms) {
      if (term.isEmpty()) {
        continue;
      }
      int at = -1;
      String operator = null;
      for (int i = 0; i < term.length() && operator == null; i++) {
        for (String candidate : OPERATORS) {
          if (term.startsWith(candidate, i)) {
            at = i;
            operator = candidate;
            break;
          }
        }
      }
      if (operator == null) {
        return Optional.empty(); // the whole selector fails to parse: the API server keeps no name
      }
      String field = term.substring(0, at);
      Optional<String> value = unescape(term.substring(at + operator.length()));
      if (value.isEmpty()) {
        return Optional.empty();
      }
      if (found == null && field.equals(NAME_FIELD) && !operator.equals("!=")) {
        found = value.get();
      }
    }
    if (found == null || !isValidPathSegmentName(found)) {
      return Optional.empty();
    }
    return Optional.of(found);
  }

  /** Splits on commas not escaped by a backslash ({@code fields.splitTerms}). */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    if (selector.isEmpty()) {
      return terms;
    }
    StringBuilder current = new StringBuilder();
    boolean escaped = false;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (escaped) {
        current.append(c);
        escaped = false;
      } else if (c == '\\') {
        current.append(c);
        escaped = true;
      } else if (c == ',') {
        terms.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    terms.add(current.toString());
    return terms;
  }

  /** {@code fields.UnescapeValue}: only {@code \\}, {@code \,} and {@code \=}; bare , and = are errors. */
  private static Optional<String> unescape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    boolean escaped = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (escaped) {
        if (c != '\\' && c != ',' && c != '=') {
          return Optional.empty();
        }
        out.append(c);
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == ',' || c == '=') {
        return Optional.empty();
      } else {
        out.append(c);
      }
    }
    return escaped ? Optional.empty() : Optional.of(out.toString());
  }

  private static boolean isValidPathSegmentName(String name) {
    return !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0 && name.indexOf('%') < 0;
  }
}
