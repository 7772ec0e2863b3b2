package dev.kgate.sim.stream.container;

import dev.kgate.sim.stream.container.PipelineRun.CommandSpec;
import dev.kgate.sim.stream.container.PipelineRun.ResolvedRedirect;
import dev.kgate.sim.stream.container.ShellSyntax.Command;
import dev.kgate.sim.stream.container.ShellSyntax.Literal;
import dev.kgate.sim.stream.container.ShellSyntax.Redirect;
import dev.kgate.sim.stream.container.ShellSyntax.Segment;
import dev.kgate.sim.stream.container.ShellSyntax.Variable;
import dev.kgate.sim.stream.container.ShellSyntax.Word;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Turns a parsed command into what runs: variables expanded when the command starts (so {@code $?}
 * is current), unquoted words that expand to nothing dropped, and leading {@code NAME=value} words
 * taken as environment for that command.
 */
final class WordExpansion {

  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);

  private WordExpansion() {}

  static CommandSpec expand(Command command, UnaryOperator<String> variables) {
    Map<String, String> assignments = new LinkedHashMap<>();
    List<String> argv = new ArrayList<>();
    for (Word word : command.words()) {
      Optional<String> value = expand(word, variables);
      if (value.isEmpty()) {
        continue;
      }
      if (argv.isEmpty() && ASSIGNMENT.matcher(value.get()).matches() && startsLiterally(word)) {
        int equals = value.get().indexOf('=');
        assignments.put(value.get().substring(0, equals), value.get().substring(equals + 1));
      } else {
        argv.add(value.get());
      }
    }
    List<ResolvedRedirect> redirects = new ArrayList<>();
    for (Redirect redirect : command.redirects()) {
      String target = redirect.target() == null ? null : expand(redirect.target(), variables).orElse("");
      redirects.add(new ResolvedRedirect(redirect.kind(), target));
    }
    return new CommandSpec(argv, assignments, redirects);
  }

  /** A word's value; empty when an unquoted word expands to nothing (and so disappears). */
  private static Optional<String> expand(Word word, UnaryOperator<String> variables) {
    StringBuilder value = new StringBuilder();
    for (Segment segment : word.segments()) {
      if (segment instanceof Literal) {
        value.append(((Literal) segment).text());
      } else {
        value.append(variables.apply(((Variable) segment).name()));
      }
    }
    if (value.length() == 0 && !word.quoted()) {
      return Optional.empty();
    }
    return Optional.of(value.toString());
  }

  /** {@code $A=b} is a command word, not an assignment. */
  private static boolean startsLiterally(Word word) {
    return !word.segments().isEmpty() && !(word.segments().get(0) instanceof Variable);
  }
}
