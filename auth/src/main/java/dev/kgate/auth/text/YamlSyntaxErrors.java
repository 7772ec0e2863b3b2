package dev.kgate.auth.text;

import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Turns a YAML parse failure into one line a person can act on, for the gateway configuration and
 * the policy alike: "YAML syntax error at line 3, column 2: …", without the parser's echoed source
 * lines (which could repeat a secret pasted by mistake).
 */
public final class YamlSyntaxErrors {

  private YamlSyntaxErrors() {}

  /** @param document what the file is, for the multi-document message ("the policy") */
  public static String describe(JacksonException e, String document) {
    String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    String problem =
        original
            .lines()
            .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
            .map(String::strip)
            .collect(Collectors.joining("; "));
    if (problem.startsWith("Duplicate property")) {
      problem = "duplicate key " + problem.substring("Duplicate property ".length()).split(" ")[0];
    } else if (problem.startsWith("Trailing token")) {
      problem = "more than one YAML document; " + document + " is a single document";
    }
    TokenStreamLocation location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "YAML syntax error: " + problem;
    }
    return "YAML syntax error at line " + location.getLineNr() + ", column " + location.getColumnNr()
        + ": " + problem;
  }
}
