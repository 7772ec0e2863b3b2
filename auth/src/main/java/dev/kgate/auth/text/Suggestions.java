package dev.kgate.auth.text;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known word an unknown one was probably meant to be (a configuration key:
 * {@code tokenfile} → {@code tokenFile}; a policy verb: {@code delet} → {@code delete}), so the
 * error message can say so.
 */
public final class Suggestions {

  private Suggestions() {}

  /** The closest known key within a small edit distance, ignoring case; empty when none is close. */
  public static Optional<String> closest(String unknown, Collection<String> known) {
    String wanted = unknown.toLowerCase(Locale.ROOT);
    int allowed = Math.max(1, wanted.length() / 3);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      int distance = distance(wanted, candidate.toLowerCase(Locale.ROOT));
      if (distance <= allowed && distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Levenshtein distance, two rows. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
