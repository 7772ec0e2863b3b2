package dev.kgate.audit.verify;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What verifying one chain found: how many lines were checked before the first problem (all of
 * them when there is none), the first problem if any, and notes that are not problems (a torn
 * line sealed after a crash, a last line still being written).
 *
 * @param chain   the chain name
 * @param dir     its directory, relative to the audit directory
 * @param lines   lines checked and found good
 * @param headSeq the seq of the last good line
 * @param problem the first problem, if any
 * @param notes   explanations that are not failures
 */
public record ChainVerdict(String chain, Path dir, long lines, long headSeq,
    Optional<AuditProblem> problem, List<String> notes) {

  public ChainVerdict {
    notes = List.copyOf(notes);
  }

  public boolean ok() {
    return problem.isEmpty();
  }
}
