package dev.kgate.audit.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A signed statement of every chain's head at one moment. Checkpoints are themselves chained
 * ({@code seq}, and {@code previous} = SHA-256 of the previous checkpoint file), so once a line is
 * covered by one, cutting it off, removing its file or rewriting the chain's tail is detectable.
 *
 * @param seq          this checkpoint's number, from 1
 * @param createdAt    when it was written
 * @param previous     SHA-256 hex of the previous checkpoint file's bytes, or {@link LineHash#GENESIS}
 * @param retainedFrom the oldest checkpoint seq kept after this one was written (retention)
 * @param algorithm    the signature algorithm
 * @param keyId        the signing key's fingerprint
 * @param chains       every chain's durable head, and where its on-disk chain begins
 * @param retired      files retention deleted since the previous checkpoint
 */
public record Checkpoint(long seq, Instant createdAt, String previous, long retainedFrom,
    String algorithm, String keyId, List<Head> chains, List<Retired> retired) {

  public Checkpoint {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(keyId, "keyId");
    chains = List.copyOf(chains);
    retired = List.copyOf(retired);
  }

  /**
   * One chain's head: the last durable line ({@code file}, {@code seq}, {@code hash}) and the
   * chain's base, the line before its oldest retained line ({@code 0} / genesis when nothing was
   * ever deleted).
   */
  public record Head(String chain, String key, String file, long seq, String hash,
      long baseSeq, String baseHash) {}

  /** A file retention deleted, and the last line it held. */
  public record Retired(String chain, String key, String file, long lastSeq, String lastHash) {}
}
