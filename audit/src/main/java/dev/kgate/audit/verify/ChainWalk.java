package dev.kgate.audit.verify;

import dev.kgate.audit.AuditEventJson;
import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.ChainLine;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.LineReader;
import dev.kgate.audit.store.SealRecord;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies one chain from its first file to its last and stops at the first bad line: each line
 * must parse, follow the previous one ({@code seq} + 1, {@code prevHash} = hash of the previous
 * line), belong to this chain, and match every checkpoint that recorded it; the chain must begin
 * where it may and reach every head a checkpoint recorded.
 */
final class ChainWalk {

  private record Where(Path file, long line) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  private final StoreLayout layout;
  private final Path dir;
  private final String chain;
  private final NavigableMap<Long, CheckpointSet.Claim> claims;
  private final Set<String> starts;
  private final List<String> notes = new ArrayList<>();

  private long lines;
  private long prevSeq;
  private String prevHash;
  private Where prevWhere;
  private Where lastSeal;
  private long lastSealSeq = -1;
  private long lastVerifiedSeq;
  /** A seq gap found at the previous line, judged once the next line is seen. */
  private AuditProblem jump;
  private long jumpFrom;
  private long jumpTo;

  ChainWalk(StoreLayout layout, Path dir, String chain, NavigableMap<Long, CheckpointSet.Claim> claims,
      Set<String> starts) {
    this.layout = layout;
    this.dir = dir;
    this.chain = chain;
    this.claims = claims;
    this.starts = starts;
  }

  ChainVerdict run() {
    Optional<AuditProblem> problem;
    try {
      problem = walk();
    } catch (IOException e) {
      problem = Optional.of(problem(AuditProblem.Kind.UNREADABLE,
          new Where(layout.root().relativize(dir), 0), "cannot read: " + e.getMessage()));
    }
    return new ChainVerdict(chain, layout.root().relativize(dir), lines, prevSeq, problem, notes);
  }

  private Optional<AuditProblem> walk() throws IOException {
    List<ChainFile> files = ChainFile.list(dir);
    for (int f = 0; f < files.size(); f++) {
      Path relative = layout.root().relativize(dir.resolve(files.get(f).name()));
      boolean lastFile = f == files.size() - 1;
      try (LineReader reader = LineReader.open(dir.resolve(files.get(f).name()))) {
        long number = 0;
        LineReader.Line line;
        while ((line = reader.next()) != null) {
          Where here = new Where(relative, ++number);
          if (!line.terminated()) {
            if (lastFile) {
              notes.add(here + ": the last line is incomplete: still being written, or torn by a crash"
                  + " (the writer seals it on its next start)");
              break;
            }
            if (jump != null) {
              return Optional.of(jump);
            }
            return Optional.of(problem(AuditProblem.Kind.INCOMPLETE, here,
                "line has no newline but another file follows: the file was cut short"));
          }
          Optional<AuditProblem> problem = check(line.bytes(), here);
          if (problem.isPresent()) {
            return problem;
          }
        }
      }
    }
    return checkEnd();
  }

  private Optional<AuditProblem> check(byte[] bytes, Where here) {
    Optional<ChainLine> parsed = ChainLine.parse(bytes);
    if (parsed.isEmpty() && jump != null) {
      return Optional.of(jump);
    }
    if (parsed.isEmpty()) {
      return Optional.of(problem(AuditProblem.Kind.UNREADABLE, here,
          "not a chain line (not JSON, or no seq/prevHash): edited or corrupted"));
    }
    ChainLine line = parsed.get();
    if (jump != null) {
      return Optional.of(line.seq() == jumpFrom + 1
          ? new AuditProblem(AuditProblem.Kind.REORDERED, chain, jump.file(), jump.line(),
              "seq " + jumpTo + " comes before seq " + line.seq() + ": lines reordered")
          : jump);
    }
    String hash = LineHash.of(bytes);
    if (prevWhere == null) {
      if (!starts.contains(CheckpointSet.start(line.seq() - 1, line.prevHash()))) {
        return Optional.of(problem(AuditProblem.Kind.MISSING, here, line.seq() == 1
            ? "the first line does not point to the genesis hash: edited"
            : "the chain starts at seq " + line.seq() + " but no checkpoint records lines before it"
                + " as retired: earlier lines or files were removed"));
      }
    } else if (line.seq() > prevSeq + 1) {
      // Deleted, or moved? The next line tells: if it is the missing one, lines were swapped.
      jump = problem(here.line() == 1 ? AuditProblem.Kind.REMOVED : AuditProblem.Kind.MISSING,
          here, "seq jumps from " + prevSeq + " to " + line.seq() + ": " + (line.seq() - prevSeq - 1)
              + " line(s) " + (here.line() == 1
                  ? "missing before this file: a file was removed, or the end of " + prevWhere.file() + " was cut"
                  : "deleted"));
      jumpFrom = prevSeq;
      jumpTo = line.seq();
      prevSeq = line.seq();
      prevHash = hash;
      prevWhere = here;
      return Optional.empty();
    } else if (line.seq() != prevSeq + 1) {
      return Optional.of(problem(AuditProblem.Kind.REORDERED, here,
          "seq " + line.seq() + " follows seq " + prevSeq + ": lines reordered or duplicated"));
    } else if (!line.prevHash().equals(prevHash)) {
      return Optional.of(problem(AuditProblem.Kind.EDITED, prevWhere,
          "this line's hash does not match the prevHash recorded by the next line (" + here
              + "): this line was edited"));
    }
    if (!line.chain().equals(chain)) {
      return Optional.of(problem(AuditProblem.Kind.FOREIGN, here,
          "the line belongs to chain '" + line.chain() + "', not '" + chain + "': moved or edited"));
    }
    if (line.seal()) {
      noteSeal(line, here);
    }
    CheckpointSet.Claim claim = claims.get(line.seq());
    if (claim != null) {
      if (!claim.hash().equals(hash)) {
        return Optional.of(sealedAway(claim).orElseGet(() -> problem(AuditProblem.Kind.EDITED, here,
            "hash differs from the one checkpoint " + claim.checkpoint() + " recorded for seq "
                + line.seq() + ": edited after it was checkpointed")));
      }
      lastVerifiedSeq = line.seq();
    }
    lines++;
    prevSeq = line.seq();
    prevHash = hash;
    prevWhere = here;
    return Optional.empty();
  }

  private Optional<AuditProblem> checkEnd() {
    if (jump != null) {
      return Optional.of(jump);
    }
    Map.Entry<Long, CheckpointSet.Claim> last = claims.lastEntry();
    if (last == null || last.getKey() <= prevSeq) {
      return Optional.empty();
    }
    CheckpointSet.Claim claim = last.getValue();
    Optional<AuditProblem> sealed = sealedAway(claim);
    if (sealed.isPresent()) {
      return sealed;
    }
    boolean fileThere = Files.exists(dir.resolve(claim.file()));
    Where at = prevWhere != null ? prevWhere : new Where(layout.root().relativize(dir), 0);
    return Optional.of(problem(fileThere ? AuditProblem.Kind.TRUNCATED : AuditProblem.Kind.REMOVED, at,
        (prevWhere == null ? "the chain has no lines" : "the chain ends here at seq " + prevSeq)
            + ", but checkpoint " + claim.checkpoint() + " recorded seq " + claim.seq() + " in "
            + claim.file() + (fileThere ? ": lines after this one were cut off"
                : ": that file was removed")));
  }

  /** When a seal came after the last line a checkpoint vouched for, it cut checkpointed lines. */
  private Optional<AuditProblem> sealedAway(CheckpointSet.Claim claim) {
    if (lastSeal == null || lastSealSeq <= lastVerifiedSeq || lastSealSeq > claim.seq()) {
      return Optional.empty();
    }
    return Optional.of(problem(AuditProblem.Kind.TRUNCATED, lastSeal,
        "this seal replaced lines that checkpoint " + claim.checkpoint() + " had recorded (up to seq "
            + claim.seq() + "): the file was cut, then the writer restarted"));
  }

  private void noteSeal(ChainLine line, Where here) {
    lastSeal = here;
    lastSealSeq = line.seq();
    SealRecord seal = SealRecord.from(line.node());
    notes.add(here + ": sealed on restart at " + AuditEventJson.formatTime(seal.sealedAt())
        + ": a torn line of " + seal.cutBytes() + " bytes at offset " + seal.offset() + " of "
        + seal.file() + " was cut (" + seal.reason() + ")");
  }

  private AuditProblem problem(AuditProblem.Kind kind, Where where, String detail) {
    return new AuditProblem(kind, chain, where.file(), where.line(), detail);
  }
}
