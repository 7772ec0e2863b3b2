package dev.kgate.audit.verify;

import dev.kgate.audit.UserInfo;
import dev.kgate.audit.store.ChainIdentity;
import dev.kgate.audit.store.ChainLine;
import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.CheckpointKeys;
import dev.kgate.audit.store.LineReader;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks an audit directory for tampering and damage and names, per chain, the first bad line:
 * the file, the line number and why — a hash mismatch (the line was edited), a seq gap (lines
 * deleted, or a file removed), seqs out of order (reordered), a chain that ends before a
 * checkpoint's head (truncated, or its last file removed), a chain a checkpoint covered that is
 * gone, a checkpoint whose signature does not verify (forged) or that is missing from the
 * sequence. Torn lines the writer sealed after a crash are explained in notes, not failed.
 *
 * <p>Checkpoint signatures are checked against a trusted public key: {@link #trusting(PublicKey)}
 * when the reviewer holds it, or {@link #trustingKeyIn(Path)} which reads the one the writer
 * published in the directory (weaker: whoever can write the directory can replace it).
 */
public final class AuditVerifier {

  private final Optional<PublicKey> trusted;

  private AuditVerifier(Optional<PublicKey> trusted) {
    this.trusted = trusted;
  }

  /** A verifier that trusts exactly this checkpoint key. */
  public static AuditVerifier trusting(PublicKey key) {
    return new AuditVerifier(Optional.of(Objects.requireNonNull(key, "key")));
  }

  /**
   * A verifier that trusts the key published in the audit directory: {@code
   * checkpoint-key.pub.pem}, else the public half of {@code checkpoint-key.pem}; with neither, every
   * checkpoint is reported as unverifiable.
   */
  public static AuditVerifier trustingKeyIn(Path dir) {
    StoreLayout layout = new StoreLayout(dir);
    for (Path candidate : List.of(layout.publicKey(), layout.privateKey())) {
      if (Files.isRegularFile(candidate)) {
        try {
          return new AuditVerifier(Optional.of(CheckpointKeys.readPublic(candidate)));
        } catch (IOException | IllegalArgumentException e) {
          // try the next candidate; none means no trusted key
        }
      }
    }
    return new AuditVerifier(Optional.empty());
  }

  /**
   * Verifies every chain in {@code dir}, or only those of {@code user} (a username, or {@code
   * system:anonymous} for all unauthenticated chains).
   */
  public VerifyReport verify(Path dir, Optional<String> user) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(user, "user");
    StoreLayout layout = new StoreLayout(dir);
    List<String> notes = new ArrayList<>();
    List<ChainVerdict> verdicts = new ArrayList<>();
    CheckpointSet checkpoints;
    List<Path> chainDirs;
    try {
      checkpoints = CheckpointSet.load(layout, trusted);
      chainDirs = layout.chainDirs();
    } catch (IOException e) {
      return new VerifyReport(List.of(), List.of(new AuditProblem(AuditProblem.Kind.UNREADABLE,
          null, Path.of(""), 0, "cannot read the audit directory: " + e.getMessage())), List.of());
    }
    if (checkpoints.latest == null) {
      notes.add("no valid checkpoint: lines cut from the end of a chain cannot be detected");
    }
    Set<String> seen = new HashSet<>();
    for (Path chainDir : chainDirs) {
      String key = chainDir.getFileName().toString();
      String chain = chainName(chainDir);
      if (!matches(chain, user)) {
        continue;
      }
      seen.add(key);
      verdicts.add(new ChainWalk(layout, chainDir, chain, checkpoints.claims(key),
          checkpoints.starts(key)).run());
    }
    if (checkpoints.latest != null) {
      for (Checkpoint.Head head : checkpoints.latest.chains()) {
        if (!seen.contains(head.key()) && matches(head.chain(), user)
            && !Files.isDirectory(layout.users().resolve(head.key()))) {
          Path relative = layout.root().relativize(layout.users().resolve(head.key()));
          verdicts.add(new ChainVerdict(head.chain(), relative, 0, 0, Optional.of(new AuditProblem(
              AuditProblem.Kind.REMOVED, head.chain(), relative, 0,
              "the chain's directory is gone, but checkpoint " + checkpoints.latestName
                  + " recorded it up to seq " + head.seq())), List.of()));
        }
      }
    }
    return new VerifyReport(verdicts, checkpoints.problems, notes);
  }

  private static boolean matches(String chain, Optional<String> user) {
    if (user.isEmpty()) {
      return true;
    }
    return chain.equals(user.get())
        || (UserInfo.ANONYMOUS.equals(user.get()) && chain.startsWith(UserInfo.ANONYMOUS + "@"));
  }

  /** The chain a directory holds: from {@code user.json}, else from its first readable line. */
  static String chainName(Path chainDir) {
    Optional<String> named = ChainIdentity.read(chainDir);
    if (named.isPresent()) {
      return named.get();
    }
    try {
      for (ChainFile file : ChainFile.list(chainDir)) {
        try (LineReader reader = LineReader.open(chainDir.resolve(file.name()))) {
          LineReader.Line line = reader.next();
          if (line != null) {
            Optional<ChainLine> parsed = ChainLine.parse(line.bytes());
            if (parsed.isPresent()) {
              return parsed.get().chain();
            }
          }
        }
      }
    } catch (IOException e) {
      // fall through: unnamed
    }
    return "?" + chainDir.getFileName();
  }
}
