package dev.kgate.audit.verify;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The first thing wrong with a chain, or a checkpoint: what kind of tampering or damage it points
 * to, where (file relative to the audit directory, 1-based line; line 0 when no line applies),
 * and why, in words for the reviewer.
 *
 * @param kind   what went wrong
 * @param chain  the chain, or null for a checkpoint problem
 * @param file   the file, relative to the audit directory
 * @param line   the line number in that file, or 0
 * @param detail the explanation
 */
public record AuditProblem(Kind kind, String chain, Path file, long line, String detail) {

  /** What a problem points to. */
  public enum Kind {
    /** A line's bytes changed: its hash no longer matches the next line or a checkpoint. */
    EDITED,
    /** Lines are missing: a seq gap, or a chain that starts later than recorded. */
    MISSING,
    /** Lines are out of order. */
    REORDERED,
    /** A chain ends before the head a checkpoint recorded: its end was cut off. */
    TRUNCATED,
    /** A file or a whole chain a checkpoint covered is gone. */
    REMOVED,
    /** A line is not a chain line at all (not JSON, no seq or prevHash). */
    UNREADABLE,
    /** A line of another user's chain. */
    FOREIGN,
    /** A line without a newline that is not the chain's last. */
    INCOMPLETE,
    /** A checkpoint that is unsigned, forged, edited, missing or out of sequence. */
    BAD_CHECKPOINT
  }

  public AuditProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    String where = file == null ? "" : line > 0 ? file + ":" + line + ": " : file + ": ";
    return where + kind + ": " + detail;
  }
}
