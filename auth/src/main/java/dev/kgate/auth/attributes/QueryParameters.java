package dev.kgate.auth.attributes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The query parameters the API server's request-info logic reads ({@code watch} and
 * {@code fieldSelector}), parsed as Go's {@code url.ParseQuery} does ({@code &}-separated,
 * form-decoded, first value wins) with its silent leniencies turned into refusals: Go drops a pair
 * holding a {@code ;} or a bad escape and carries on, which lets {@code ?watch=%zz&watch=true}
 * mean different things to different parsers; and a second {@code watch} or {@code fieldSelector}
 * is refused because other layers may read the last value where the API server reads the first.
 */
final class QueryParameters {

  static final String WATCH = "watch";
  static final String FIELD_SELECTOR = "fieldSelector";

  private static final QueryParameters EMPTY = new QueryParameters(Map.of());

  private final Map<String, String> values;

  private QueryParameters(Map<String, String> values) {
    this.values = values;
  }

  /** Parses a raw query (without the {@code ?}); null or empty is no parameters. */
  static QueryParameters parse(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return EMPTY;
    }
    for (int i = 0; i < rawQuery.length(); i++) {
      char c = rawQuery.charAt(i);
      if (c == ';') {
        throw new Refusal("the query has a ';' separator");
      }
      if (c <= 0x20 || c >= 0x7f || c == '#') {
        throw new Refusal("the query has a character that must be percent-encoded");
      }
    }
    Map<String, String> values = new HashMap<>();
    List<String> seen = new ArrayList<>();
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = PercentDecoding.decode(equals < 0 ? pair : pair.substring(0, equals), true, "the query");
      String value = equals < 0 ? "" : PercentDecoding.decode(pair.substring(equals + 1), true, "the query");
      if (!key.equals(WATCH) && !key.equals(FIELD_SELECTOR)) {
        continue;
      }
      if (seen.contains(key)) {
        throw new Refusal("the query has more than one '" + key + "' parameter");
      }
      seen.add(key);
      values.put(key, value);
    }
    return new QueryParameters(Map.copyOf(values));
  }

  /** The value of {@code key}, or null when absent ({@code ?watch} alone is present and empty). */
  String value(String key) {
    return values.get(key);
  }
}
