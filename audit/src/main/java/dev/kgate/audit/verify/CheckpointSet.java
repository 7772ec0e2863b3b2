package dev.kgate.audit.verify;

import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.CheckpointCodec;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checkpoints of an audit directory, checked: each signature against the trusted key, and
 * the sequence (no checkpoint missing or replaced). From the good ones it gathers, per chain
 * directory, what the chain must contain ({@link Claim}s: seq and hash of a recorded head) and
 * where it may legitimately begin (genesis, or the end of a file retention deleted).
 */
final class CheckpointSet {

  /** A recorded head: line {@code seq} of the chain must hash to {@code hash}. */
  record Claim(long seq, String hash, String file, String checkpoint) {}

  final List<AuditProblem> problems = new ArrayList<>();
  final Map<String, NavigableMap<Long, Claim>> claims = new HashMap<>();
  final Map<String, Set<String>> starts = new HashMap<>();
  Checkpoint latest;
  String latestName;
  int valid;

  static String start(long seq, String hash) {
    return seq + ":" + hash;
  }

  static CheckpointSet load(StoreLayout layout, Optional<PublicKey> trusted) throws IOException {
    CheckpointSet set = new CheckpointSet();
    List<Path> files = CheckpointCodec.list(layout.checkpoints());
    if (files.isEmpty()) {
      return set;
    }
    if (trusted.isEmpty()) {
      set.problems.add(new AuditProblem(AuditProblem.Kind.BAD_CHECKPOINT, null,
          layout.root().relativize(layout.checkpoints()), 0,
          "no public key to check checkpoint signatures (expected " + StoreLayout.PUBLIC_KEY
              + " or a key given to the verifier)"));
      return set;
    }
    Set<Long> present = new HashSet<>();
    List<CheckpointCodec.Signed> good = new ArrayList<>();
    List<Path> goodFiles = new ArrayList<>();
    for (Path file : files) {
      Path relative = layout.root().relativize(file);
      long seq = CheckpointCodec.seqOf(file);
      present.add(seq);
      CheckpointCodec.Signed signed;
      try {
        signed = CheckpointCodec.decode(Files.readAllBytes(file));
      } catch (IllegalArgumentException e) {
        set.problems.add(bad(relative, "unreadable checkpoint (" + e.getMessage() + "): edited or corrupted"));
        continue;
      }
      if (!signed.signedBy(trusted.get())) {
        set.problems.add(bad(relative, "signature does not verify with the trusted key: forged or edited"));
        continue;
      }
      if (signed.checkpoint().seq() != seq) {
        set.problems.add(bad(relative, "file name says seq " + seq + " but it holds seq "
            + signed.checkpoint().seq() + ": renamed"));
        continue;
      }
      good.add(signed);
      goodFiles.add(relative);
    }
    set.checkSequence(good, goodFiles, present);
    for (int i = 0; i < good.size(); i++) {
      set.gather(good.get(i).checkpoint(), goodFiles.get(i).getFileName().toString());
    }
    set.valid = good.size();
    if (!good.isEmpty()) {
      set.latest = good.get(good.size() - 1).checkpoint();
      set.latestName = goodFiles.get(goodFiles.size() - 1).getFileName().toString();
    }
    return set;
  }

  private void checkSequence(List<CheckpointCodec.Signed> good, List<Path> files, Set<Long> present) {
    for (int i = 1; i < good.size(); i++) {
      Checkpoint previous = good.get(i - 1).checkpoint();
      Checkpoint current = good.get(i).checkpoint();
      if (current.seq() != previous.seq() + 1) {
        List<Long> gone = new ArrayList<>();
        for (long seq = previous.seq() + 1; seq < current.seq(); seq++) {
          if (!present.contains(seq)) {
            gone.add(seq);
          }
        }
        if (!gone.isEmpty()) {
          problems.add(bad(files.get(i), "checkpoint(s) " + gone + " before this one were removed"));
        }
      } else if (!current.previous().equals(good.get(i - 1).fileHash())) {
        problems.add(bad(files.get(i), "does not follow " + files.get(i - 1).getFileName()
            + ": the previous checkpoint was replaced"));
      }
    }
    if (!good.isEmpty()) {
      Checkpoint oldest = good.get(0).checkpoint();
      Checkpoint newest = good.get(good.size() - 1).checkpoint();
      if (oldest.seq() > newest.retainedFrom() && oldest.seq() > 1) {
        List<Long> gone = new ArrayList<>();
        for (long seq = newest.retainedFrom(); seq < oldest.seq(); seq++) {
          if (!present.contains(seq)) {
            gone.add(seq);
          }
        }
        if (!gone.isEmpty()) {
          problems.add(bad(files.get(0), "checkpoint(s) " + gone
              + " were removed, though retention keeps every checkpoint from seq " + newest.retainedFrom()));
        }
      }
    }
  }

  private void gather(Checkpoint checkpoint, String name) {
    for (Checkpoint.Head head : checkpoint.chains()) {
      NavigableMap<Long, Claim> chainClaims = claims.computeIfAbsent(head.key(), key -> new TreeMap<>());
      Claim earlier = chainClaims.get(head.seq());
      if (earlier != null && !earlier.hash().equals(head.hash())) {
        problems.add(bad(Path.of(StoreLayout.CHECKPOINTS, name), "records a different hash for seq "
            + head.seq() + " of " + head.key() + " than " + earlier.checkpoint()));
      } else if (earlier == null) {
        chainClaims.put(head.seq(), new Claim(head.seq(), head.hash(), head.file(), name));
      }
      starts(head.key()).add(start(head.baseSeq(), head.baseHash()));
    }
    for (Checkpoint.Retired retired : checkpoint.retired()) {
      starts(retired.key()).add(start(retired.lastSeq(), retired.lastHash()));
    }
  }

  /** Where a chain may begin: genesis, or a point a checkpoint recorded. */
  Set<String> starts(String key) {
    return starts.computeIfAbsent(key, k -> {
      Set<String> initial = new HashSet<>();
      initial.add(start(0, LineHash.GENESIS));
      return initial;
    });
  }

  NavigableMap<Long, Claim> claims(String key) {
    return claims.getOrDefault(key, new TreeMap<>());
  }

  private static AuditProblem bad(Path file, String detail) {
    return new AuditProblem(AuditProblem.Kind.BAD_CHECKPOINT, null, file, 0, detail);
  }
}
