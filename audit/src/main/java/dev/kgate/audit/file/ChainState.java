package dev.kgate.audit.file;

import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.LineHash;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Where one chain stands, as the writer thread sees it (and only that thread touches it): the
 * head as written, the head known durable (what checkpoints cover), where the chain begins on
 * disk, the file being appended to, and what the current commit window holds for it.
 */
final class ChainState {

  final String chain;
  final String key;
  final Path dir;

  long seq;
  String hash = LineHash.GENESIS;
  String headFile;

  /** -1 when not known (the chain could not be read at start-up and no checkpoint named it). */
  long durableSeq;
  String durableHash = LineHash.GENESIS;
  String durableFile;

  long baseSeq;
  String baseHash = LineHash.GENESIS;

  ChainFile current;
  long size;
  FileChannel channel;
  LocalDate oldest;
  boolean needsRecovery;

  final LineBuffer pending = new LineBuffer();
  final List<PendingEvent> window = new ArrayList<>();
  final List<FileChannel> rotated = new ArrayList<>();
  boolean syncDir;

  ChainState(String chain, String key, Path dir) {
    this.chain = chain;
    this.key = key;
    this.dir = dir;
  }

  boolean idle() {
    return window.isEmpty() && pending.size() == 0 && rotated.isEmpty();
  }

  void markDurable() {
    durableSeq = seq;
    durableHash = hash;
    durableFile = headFile;
  }
}
