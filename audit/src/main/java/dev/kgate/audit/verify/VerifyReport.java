package dev.kgate.audit.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of {@link AuditVerifier#verify}: one verdict per chain checked, the problems found
 * with checkpoints, and general notes. OK when no chain and no checkpoint has a problem.
 *
 * @param chains             per-chain verdicts, by chain directory
 * @param checkpointProblems problems with the checkpoints themselves
 * @param notes              general remarks (for example: no checkpoints yet)
 */
public record VerifyReport(List<ChainVerdict> chains, List<AuditProblem> checkpointProblems,
    List<String> notes) {

  public VerifyReport {
    chains = List.copyOf(chains);
    checkpointProblems = List.copyOf(checkpointProblems);
    notes = List.copyOf(notes);
  }

  public boolean ok() {
    return checkpointProblems.isEmpty() && chains.stream().allMatch(ChainVerdict::ok);
  }

  /** Every problem: checkpoint problems first, then each chain's first problem. */
  public List<AuditProblem> problems() {
    List<AuditProblem> problems = new ArrayList<>(checkpointProblems);
    chains.forEach(chain -> chain.problem().ifPresent(problems::add));
    return problems;
  }

  /** A plain-text account: one line per problem and note, then a summary line. */
  public String describe() {
    StringBuilder text = new StringBuilder();
    problems().forEach(problem -> text.append("FAIL ").append(problem).append('\n'));
    chains.forEach(chain -> chain.notes().forEach(note -> text.append("note ").append(note).append('\n')));
    notes.forEach(note -> text.append("note ").append(note).append('\n'));
    long lines = chains.stream().mapToLong(ChainVerdict::lines).sum();
    text.append(ok() ? "OK" : "FAILED").append(": ").append(chains.size()).append(" chain(s), ")
        .append(lines).append(" line(s) checked, ").append(problems().size()).append(" problem(s)\n");
    return text.toString();
  }
}
