package dev.kgate.cli.audit;

import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.ChainLine;
import dev.kgate.audit.store.CheckpointCodec;
import dev.kgate.audit.store.CheckpointKeys;
import dev.kgate.audit.store.LineReader;
import dev.kgate.audit.store.StoreLayout;
import dev.kgate.audit.verify.AuditProblem;
import dev.kgate.audit.verify.AuditVerifier;
import dev.kgate.audit.verify.ChainVerdict;
import dev.kgate.audit.verify.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kgate audit verify}: runs {@link AuditVerifier} and says, in one line, either that every
 * chain is intact and who signed the checkpoints, or where the first bad record of each broken
 * chain is (file, line, what is wrong). Exit code {@value AuditCommand#EXIT_TAMPERED} on any
 * problem, so a cron job or CI step can alert on it. Notes that are not failures (a torn line the
 * writer sealed after a crash) follow as {@code note:} lines.
 *
 * <p>Checkpoint signatures prove only as much as the key they are checked against. By default
 * that is the key published in the audit directory, which whoever can write the directory can
 * replace along with the checkpoints; {@code --key} names a copy kept somewhere they cannot reach.
 */
@Command(name = "verify", description = "Check the audit log for tampering: hash chains, missing lines, signed checkpoints.")
final class VerifyCommand implements Callable<Integer> {

  private static final String SEAL_NOTE = ": sealed on restart at ";

  @Spec private CommandSpec spec;
  @Mixin private AuditDirectory directory;

  @Option(names = "--user", paramLabel = "USER",
      description = "Verify only this user's chain (system:anonymous: every unauthenticated chain).")
  private String user;

  @Option(names = "--key", paramLabel = "PEM",
      description = "Trust this checkpoint public key instead of the one published in DIR.")
  private Path key;

  @Override
  public Integer call() throws IOException {
    try {
      return verify();
    } catch (UsageException usage) {
      return usage.report(spec.commandLine().getErr());
    }
  }

  private int verify() throws IOException {
    Path dir = directory.existing();
    Optional<PublicKey> trusted = trustedKey(dir);
    AuditVerifier verifier = trusted.map(AuditVerifier::trusting).orElseGet(() -> AuditVerifier.trustingKeyIn(dir));
    VerifyReport report = verifier.verify(dir, Optional.ofNullable(user));
    PrintWriter out = spec.commandLine().getOut();
    if (!report.ok()) {
      for (AuditProblem problem : report.problems()) {
        out.println(TerminalText.safe(describe(dir, problem, trusted)));
      }
      printNotes(out, report);
      return AuditCommand.EXIT_TAMPERED;
    }
    if (user != null && report.chains().isEmpty()) {
      throw new UsageException("no audit records of user '" + user + "' in " + dir);
    }
    // A chain's line count includes its seal records, and the verifier names each seal in a note.
    long seals = report.chains().stream().flatMap(chain -> chain.notes().stream())
        .filter(note -> note.contains(SEAL_NOTE)).count();
    long events = report.chains().stream().mapToLong(ChainVerdict::lines).sum() - seals;
    long files = 0;
    for (ChainVerdict chain : report.chains()) {
      files += ChainFile.list(dir.resolve(chain.dir())).size();
    }
    boolean checkpointed = !CheckpointCodec.list(new StoreLayout(dir).checkpoints()).isEmpty();
    out.println("OK: " + count(events, "event") + " in " + count(files, "file") + ", chains intact, "
        + (checkpointed && trusted.isPresent()
            ? "checkpoints signed by " + CheckpointKeys.keyId(trusted.get())
            : "no checkpoints yet"));
    printNotes(out, report);
    return AuditCommand.EXIT_OK;
  }

  /** The key given with --key, else the one the writer published in the directory, if readable. */
  private Optional<PublicKey> trustedKey(Path dir) {
    if (key != null) {
      if (!Files.isRegularFile(key)) {
        throw new UsageException("checkpoint key not found: " + key);
      }
      try {
        return Optional.of(CheckpointKeys.readPublic(key));
      } catch (IOException | IllegalArgumentException e) {
        throw new UsageException("cannot read checkpoint key " + key + ": " + e.getMessage());
      }
    }
    StoreLayout layout = new StoreLayout(dir);
    for (Path candidate : List.of(layout.publicKey(), layout.privateKey())) {
      try {
        if (Files.isRegularFile(candidate)) {
          return Optional.of(CheckpointKeys.readPublic(candidate));
        }
      } catch (IOException | IllegalArgumentException unreadable) {
        // try the next; with none, the verifier reports every checkpoint as unverifiable
      }
    }
    return Optional.empty();
  }

  private static void printNotes(PrintWriter out, VerifyReport report) {
    report.chains().forEach(chain -> chain.notes().forEach(note -> out.println(TerminalText.safe("note: " + note))));
    report.notes().forEach(note -> out.println(TerminalText.safe("note: " + note)));
  }

  /** {@code FAIL: <file> line <n> (<chain>): <what is wrong>: <detail>}. */
  static String describe(Path dir, AuditProblem problem, Optional<PublicKey> trusted) {
    StringBuilder line = new StringBuilder("FAIL: ");
    boolean noFile = problem.file() == null || problem.file().toString().isEmpty();
    line.append(noFile ? dir : problem.file());
    if (problem.line() > 0) {
      line.append(" line ").append(problem.line());
    }
    if (problem.chain() != null) {
      line.append(" (").append(problem.chain()).append(')');
    }
    Path file = noFile ? dir : dir.resolve(problem.file());
    return line.append(": ").append(whatIsWrong(problem, file, trusted)).append(": ")
        .append(problem.detail()).toString();
  }

  private static String whatIsWrong(AuditProblem problem, Path file, Optional<PublicKey> trusted) {
    return switch (problem.kind()) {
      case EDITED -> "hash mismatch";
      case MISSING -> "missing line";
      case REORDERED -> "lines out of order";
      case TRUNCATED -> isSeal(file, problem.line()) ? "torn line sealed by continuation" : "lines cut off";
      case REMOVED -> "missing file";
      case UNREADABLE -> "unreadable line";
      case FOREIGN -> "line of another chain";
      case INCOMPLETE -> "incomplete line";
      case BAD_CHECKPOINT -> checkpointProblem(file, trusted);
    };
  }

  /** Whether line {@code number} of a chain file is a seal record (a continuation after a torn line). */
  private static boolean isSeal(Path file, long number) {
    if (number < 1 || !Files.isRegularFile(file)) {
      return false;
    }
    try (LineReader reader = LineReader.open(file)) {
      LineReader.Line line = null;
      for (long n = 0; n < number; n++) {
        line = reader.next();
        if (line == null) {
          return false;
        }
      }
      return ChainLine.parse(line.bytes()).map(ChainLine::seal).orElse(false);
    } catch (IOException unreadable) {
      return false;
    }
  }

  /** What is wrong with a checkpoint: its signature, its content, or its place in the sequence. */
  private static String checkpointProblem(Path file, Optional<PublicKey> trusted) {
    if (trusted.isEmpty()) {
      return "unverifiable checkpoints";
    }
    if (!Files.isRegularFile(file)) {
      return "bad checkpoint";
    }
    try {
      return CheckpointCodec.decode(Files.readAllBytes(file)).signedBy(trusted.get())
          ? "bad checkpoint" : "bad checkpoint signature";
    } catch (IOException | IllegalArgumentException unreadable) {
      return "unreadable checkpoint";
    }
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
