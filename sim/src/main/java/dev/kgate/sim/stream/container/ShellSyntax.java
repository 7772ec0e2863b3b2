package dev.kgate.sim.stream.container;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The part of POSIX shell syntax the simulated {@code sh} understands: words with single and double
 * quotes, backslash escapes and {@code $NAME}/{@code ${NAME}}/{@code $?}/{@code $1} expansion;
 * pipelines ({@code |}), lists ({@code &&}, {@code ||}, {@code ;}, newlines), comments and the
 * redirections {@code >}, {@code >>}, {@code <}, {@code 2>}, {@code 2>>}, {@code 2>&1}. Background
 * jobs and command substitution are refused with a syntax error rather than misread.
 */
final class ShellSyntax {

  /** A piece of a word: literal text, or a variable expanded when the command runs. */
  sealed interface Segment permits Literal, Variable {}

  record Literal(String text) implements Segment {}

  record Variable(String name) implements Segment {}

  /** A word; {@code quoted} words survive expanding to nothing. */
  record Word(List<Segment> segments, boolean quoted) {}

  enum RedirectKind { STDOUT, STDOUT_APPEND, STDIN, STDERR, STDERR_APPEND, STDERR_TO_STDOUT }

  /** A redirection; {@code target} is null for {@code 2>&1}. */
  record Redirect(RedirectKind kind, Word target) {}

  record Command(List<Word> words, List<Redirect> redirects) {}

  record Pipeline(List<Command> commands) {}

  /** Pipelines joined by {@code &&} and {@code ||}; {@code operators.get(i)} precedes pipeline i+1. */
  record AndOr(List<Pipeline> pipelines, List<String> operators) {}

  record Script(List<AndOr> lists) {}

  /** A parsed script, or the syntax error sh would report. */
  record Parsed(Optional<Script> script, String error) {}

  private record Operator(String text) {}

  private ShellSyntax() {}

  static Parsed parse(String text) {
    try {
      return new Parsed(Optional.of(new Parser(new Lexer(text).tokens()).script()), null);
    } catch (SyntaxError e) {
      return new Parsed(Optional.empty(), "syntax error: " + e.getMessage());
    }
  }

  private static final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Lexer {
    private final String text;
    private final List<Object> tokens = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final StringBuilder literal = new StringBuilder();
    private int i;
    private boolean inWord;
    private boolean quoted;

    Lexer(String text) {
      this.text = text;
    }

    List<Object> tokens() {
      while (i < text.length()) {
        char c = text.charAt(i);
        switch (c) {
          case ' ':
          case '\t':
          case '\r':
            endWord();
            i++;
            break;
          case '\n':
          case ';':
            operator(String.valueOf(c), 1);
            break;
          case '&':
            if (peek(1) != '&') {
              throw new SyntaxError("background jobs (&) are not supported");
            }
            operator("&&", 2);
            break;
          case '|':
            operator(peek(1) == '|' ? "||" : "|", peek(1) == '|' ? 2 : 1);
            break;
          case '>':
          case '<':
            redirect(c);
            break;
          case '#':
            if (inWord) {
              literal.append(c);
              i++;
            } else {
              while (i < text.length() && text.charAt(i) != '\n') {
                i++;
              }
            }
            break;
          case '\'':
            singleQuoted();
            break;
          case '"':
            doubleQuoted();
            break;
          case '\\':
            inWord = true;
            if (peek(1) == '\n') {
              i += 2;
            } else if (i + 1 < text.length()) {
              literal.append(text.charAt(i + 1));
              i += 2;
            } else {
              i++;
            }
            break;
          case '$':
            inWord = true;
            variable();
            break;
          case '`':
            throw new SyntaxError("command substitution is not supported");
          default:
            inWord = true;
            literal.append(c);
            i++;
        }
      }
      endWord();
      return tokens;
    }

    private char peek(int offset) {
      return i + offset < text.length() ? text.charAt(i + offset) : 0;
    }

    private void operator(String op, int length) {
      endWord();
      tokens.add(new Operator(op));
      i += length;
    }

    private void redirect(char c) {
      boolean stderr = inWord && !quoted && segments.isEmpty() && literal.toString().equals("2");
      if (stderr) {
        literal.setLength(0);
        inWord = false;
      } else {
        endWord();
      }
      if (c == '<') {
        operator("<", 1);
      } else if (stderr && peek(1) == '&' && peek(2) == '1') {
        operator("2>&1", 3);
      } else if (peek(1) == '>') {
        operator(stderr ? "2>>" : ">>", 2);
      } else {
        operator(stderr ? "2>" : ">", 1);
      }
    }

    private void singleQuoted() {
      int end = text.indexOf('\'', i + 1);
      if (end < 0) {
        throw new SyntaxError("unterminated quoted string");
      }
      inWord = true;
      quoted = true;
      literal.append(text, i + 1, end);
      i = end + 1;
    }

    private void doubleQuoted() {
      inWord = true;
      quoted = true;
      i++;
      while (true) {
        if (i >= text.length()) {
          throw new SyntaxError("unterminated quoted string");
        }
        char c = text.charAt(i);
        if (c == '"') {
          i++;
          return;
        }
        if (c == '\\' && "$`\"\\\n".indexOf(peek(1)) >= 0 && peek(1) != 0) {
          if (peek(1) != '\n') {
            literal.append(peek(1));
          }
          i += 2;
        } else if (c == '$') {
          variable();
        } else if (c == '`') {
          throw new SyntaxError("command substitution is not supported");
        } else {
          literal.append(c);
          i++;
        }
      }
    }

    private void variable() {
      char next = peek(1);
      if (next == '?' || Character.isDigit(next)) {
        addVariable(String.valueOf(next));
        i += 2;
      } else if (next == '{') {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          throw new SyntaxError("missing '}'");
        }
        addVariable(text.substring(i + 2, end));
        i = end + 1;
      } else if (next == '(') {
        throw new SyntaxError("command substitution is not supported");
      } else if (Character.isLetter(next) || next == '_') {
        int end = i + 1;
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
          end++;
        }
        addVariable(text.substring(i + 1, end));
        i = end;
      } else {
        literal.append('$');
        i++;
      }
    }

    private void addVariable(String name) {
      flushLiteral();
      segments.add(new Variable(name));
    }

    private void flushLiteral() {
      if (literal.length() > 0) {
        segments.add(new Literal(literal.toString()));
        literal.setLength(0);
      }
    }

    private void endWord() {
      flushLiteral();
      if (inWord) {
        tokens.add(new Word(List.copyOf(segments), quoted));
      }
      segments.clear();
      inWord = false;
      quoted = false;
    }
  }

  private static final class Parser {
    private final List<Object> tokens;
    private int position;

    Parser(List<Object> tokens) {
      this.tokens = tokens;
    }

    Script script() {
      List<AndOr> lists = new ArrayList<>();
      skipSeparators();
      while (position < tokens.size()) {
        lists.add(andOr());
        if (position < tokens.size() && !isOperator(";") && !isOperator("\n")) {
          throw unexpected();
        }
        skipSeparators();
      }
      return new Script(lists);
    }

    private AndOr andOr() {
      List<Pipeline> pipelines = new ArrayList<>();
      List<String> operators = new ArrayList<>();
      pipelines.add(pipeline());
      while (isOperator("&&") || isOperator("||")) {
        operators.add(((Operator) tokens.get(position++)).text());
        skipNewlines();
        pipelines.add(pipeline());
      }
      return new AndOr(pipelines, operators);
    }

    private Pipeline pipeline() {
      List<Command> commands = new ArrayList<>();
      commands.add(command());
      while (isOperator("|")) {
        position++;
        skipNewlines();
        commands.add(command());
      }
      return new Pipeline(commands);
    }

    private Command command() {
      List<Word> words = new ArrayList<>();
      List<Redirect> redirects = new ArrayList<>();
      while (position < tokens.size()) {
        Object token = tokens.get(position);
        if (token instanceof Word) {
          words.add((Word) token);
          position++;
          continue;
        }
        String op = ((Operator) token).text();
        RedirectKind kind = redirectKind(op);
        if (kind == null) {
          break;
        }
        position++;
        if (kind == RedirectKind.STDERR_TO_STDOUT) {
          redirects.add(new Redirect(kind, null));
          continue;
        }
        if (position >= tokens.size() || !(tokens.get(position) instanceof Word)) {
          throw unexpected();
        }
        redirects.add(new Redirect(kind, (Word) tokens.get(position++)));
      }
      if (words.isEmpty() && redirects.isEmpty()) {
        throw unexpected();
      }
      return new Command(words, redirects);
    }

    private static RedirectKind redirectKind(String op) {
      switch (op) {
        case ">":
          return RedirectKind.STDOUT;
        case ">>":
          return RedirectKind.STDOUT_APPEND;
        case "<":
          return RedirectKind.STDIN;
        case "2>":
          return RedirectKind.STDERR;
        case "2>>":
          return RedirectKind.STDERR_APPEND;
        case "2>&1":
          return RedirectKind.STDERR_TO_STDOUT;
        default:
          return null;
      }
    }

    private boolean isOperator(String op) {
      return position < tokens.size() && tokens.get(position) instanceof Operator
          && ((Operator) tokens.get(position)).text().equals(op);
    }

    private void skipSeparators() {
      while (isOperator(";") || isOperator("\n")) {
        position++;
      }
    }

    private void skipNewlines() {
      while (isOperator("\n")) {
        position++;
      }
    }

    private SyntaxError unexpected() {
      if (position >= tokens.size()) {
        return new SyntaxError("unexpected end of file");
      }
      Object token = tokens.get(position);
      String text = token instanceof Operator ? ((Operator) token).text() : "word";
      return new SyntaxError("unexpected " + (text.equals("\n") ? "newline" : "\"" + text + "\""));
    }
  }
}
