package dev.kgate.audit.file;

import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.CheckpointCodec;
import dev.kgate.audit.store.DurableFiles;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.SigningKey;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes signed checkpoints, each linked to the one before, and deletes checkpoints older than
 * the retention age (always keeping the newest). Writer thread only.
 */
final class CheckpointWriter {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointWriter.class);

  private final StoreLayout layout;
  private final SigningKey key;
  private final Clock clock;
  private final Duration retention;
  private long lastSeq;
  private String lastHash = LineHash.GENESIS;

  CheckpointWriter(StoreLayout layout, SigningKey key, Clock clock, Duration retention) {
    this.layout = layout;
    this.key = key;
    this.clock = clock;
    this.retention = retention;
  }

  /**
   * Continues after the newest checkpoint on disk, and returns the newest one this key signed:
   * chain bases are carried forward from it rather than re-read from files someone could have
   * removed.
   */
  Optional<Checkpoint> resume() throws IOException {
    List<Path> files = CheckpointCodec.list(layout.checkpoints());
    if (files.isEmpty()) {
      return Optional.empty();
    }
    Path newest = files.get(files.size() - 1);
    lastSeq = CheckpointCodec.seqOf(newest);
    lastHash = LineHash.of(Files.readAllBytes(newest));
    for (int i = files.size() - 1; i >= 0; i--) {
      try {
        CheckpointCodec.Signed signed = CheckpointCodec.decode(Files.readAllBytes(files.get(i)));
        if (signed.signedBy(key.publicKey())) {
          return Optional.of(signed.checkpoint());
        }
        LOG.error("Audit checkpoint {} is not signed by the checkpoint key {}: forged or edited;"
            + " verify will report it", files.get(i), key.keyId());
      } catch (IllegalArgumentException e) {
        LOG.error("Audit checkpoint {} is unreadable ({}); verify will report it", files.get(i), e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Writes the next checkpoint durably, then removes expired ones; returns its path. */
  Path write(List<Checkpoint.Head> heads, List<Checkpoint.Retired> retired) throws IOException {
    Instant now = clock.instant();
    long seq = lastSeq + 1;
    Path dir = layout.checkpoints();
    Files.createDirectories(dir);
    List<Path> expired = new ArrayList<>();
    long retainedFrom = seq;
    for (Path existing : CheckpointCodec.list(dir)) {
      Instant createdAt = CheckpointCodec.createdAtOf(existing);
      if (!retention.isZero() && createdAt != null && createdAt.isBefore(now.minus(retention))) {
        expired.add(existing);
      } else {
        retainedFrom = Math.min(retainedFrom, CheckpointCodec.seqOf(existing));
      }
    }
    Checkpoint checkpoint = new Checkpoint(seq, now, lastHash, retainedFrom, key.algorithm(),
        key.keyId(), heads, retired);
    byte[] bytes = CheckpointCodec.encode(checkpoint, key);
    Path file = dir.resolve(CheckpointCodec.fileName(checkpoint));
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    DurableFiles.writeSynced(temp, bytes);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    DurableFiles.syncDirectory(dir);
    lastSeq = seq;
    lastHash = LineHash.of(bytes);
    for (Path old : expired) {
      Files.deleteIfExists(old);
    }
    if (!expired.isEmpty()) {
      DurableFiles.syncDirectory(dir);
      LOG.info("Removed {} audit checkpoints older than {}", expired.size(), retention);
    }
    return file;
  }
}
