package dev.kgate.audit.file;

import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.ChainIdentity;
import dev.kgate.audit.store.ChainKey;
import dev.kgate.audit.store.ChainLine;
import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.DurableFiles;
import dev.kgate.audit.store.LineHash;
import dev.kgate.audit.store.SealRecord;
import dev.kgate.audit.store.StoreLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer's chains: finds them on disk at start-up, creates new ones (directory and {@code
 * user.json}), recovers a chain from disk after a crash or a failed write (sealing a torn last
 * line), rotates files by day and size, and keeps at most {@code maxOpenFiles} channels open.
 * Writer thread only.
 */
final class ChainStore {

  private static final Logger LOG = LoggerFactory.getLogger(ChainStore.class);

  private final StoreLayout layout;
  private final Clock clock;
  private final int maxOpenFiles;
  private final Map<String, ChainState> byChain = new HashMap<>();
  private final Map<String, String> chainByKey = new HashMap<>();
  private final LinkedHashMap<ChainState, Boolean> open = new LinkedHashMap<>(64, 0.75f, true);

  ChainStore(StoreLayout layout, Clock clock, int maxOpenFiles) {
    this.layout = layout;
    this.clock = clock;
    this.maxOpenFiles = maxOpenFiles;
  }

  Collection<ChainState> all() {
    return byChain.values();
  }

  /**
   * Loads every chain directory; chains the latest checkpoint names keep its base. Returns false
   * when some chain could not be read (it will be retried on its next event).
   */
  boolean loadAll(Optional<Checkpoint> latest) throws IOException {
    Map<String, Checkpoint.Head> heads = new HashMap<>();
    latest.ifPresent(checkpoint -> checkpoint.chains().forEach(head -> heads.put(head.key(), head)));
    boolean allRead = true;
    for (Path dir : layout.chainDirs()) {
      String key = dir.getFileName().toString();
      Optional<String> chain = ChainIdentity.read(dir);
      if (chain.isEmpty()) {
        chain = TailScan.chainFromFirstLine(dir);
      }
      if (chain.isEmpty() || byChain.containsKey(chain.get())) {
        LOG.warn("Ignoring audit directory {}: it names no chain, or a chain another directory holds", dir);
        continue;
      }
      ChainState state = new ChainState(chain.get(), key, dir);
      Checkpoint.Head head = heads.get(key);
      try {
        recover(state);
        if (head != null) {
          state.baseSeq = head.baseSeq();
          state.baseHash = head.baseHash();
          if (state.seq < head.seq()) {
            LOG.error("Audit chain {} ends at seq {} but checkpoint recorded seq {}: lines were removed;"
                + " verify will report it", key, state.seq, head.seq());
          }
        }
      } catch (IOException e) {
        allRead = false;
        LOG.warn("Cannot read audit chain {} at start-up; will retry on its next event", dir, e);
        state.needsRecovery = true;
        state.durableSeq = -1;
        if (head != null) {
          state.seq = state.durableSeq = head.seq();
          state.hash = state.durableHash = head.hash();
          state.headFile = state.durableFile = head.file();
          state.baseSeq = head.baseSeq();
          state.baseHash = head.baseHash();
        }
      }
      byChain.put(state.chain, state);
      chainByKey.put(key, state.chain);
      evictIdle();
    }
    return allRead;
  }

  /** The chain's state, creating its directory and {@code user.json} on its first event. */
  ChainState get(String chain) throws IOException {
    ChainState state = byChain.get(chain);
    if (state != null) {
      return state;
    }
    String key = ChainKey.dirName(chain);
    if (!chain.equals(owner(key))) {
      if (owner(key) != null) {
        key = ChainKey.longDirName(chain);
      }
      if (owner(key) != null && !chain.equals(owner(key))) {
        throw new IOException("no free directory for chain (hash collision)");
      }
    }
    Path dir = layout.chainDir(key);
    state = new ChainState(chain, key, dir);
    if (Files.isDirectory(dir)) {
      state.needsRecovery = true;
    } else {
      Files.createDirectories(dir);
      ChainIdentity.write(dir, chain);
      DurableFiles.syncDirectory(dir);
      DurableFiles.syncDirectory(layout.users());
    }
    byChain.put(chain, state);
    chainByKey.put(key, chain);
    return state;
  }

  private String owner(String key) {
    String known = chainByKey.get(key);
    if (known != null) {
      return known;
    }
    Path dir = layout.users().resolve(key);
    return Files.isDirectory(dir) ? ChainIdentity.read(dir).orElse("") : null;
  }

  /**
   * Re-reads a chain from disk: its head, and the file to continue in. A torn last line is cut and
   * replaced by a {@link SealRecord}; the last file is fsynced, so the head is durable after this.
   */
  void recover(ChainState state) throws IOException {
    closeChannels(state);
    TailScan.Result scan = TailScan.scan(state.dir);
    state.seq = scan.seq();
    state.hash = scan.hash();
    state.headFile = scan.headFile();
    state.current = scan.current();
    state.size = scan.goodSize();
    state.oldest = scan.oldest();
    if (state.durableSeq == 0 && state.baseSeq == 0) {
      state.baseSeq = scan.baseSeq();
      state.baseHash = scan.baseHash();
    }
    if (scan.torn() != null) {
      FileChannel channel = channel(state);
      seal(state, channel, scan.torn());
      channel.force(false);
    } else if (scan.current() != null) {
      // What the previous process wrote may still be only in the page cache; a checkpoint is
      // about to vouch for it, so make it durable first (cheap when it already is).
      try (FileChannel channel = FileChannel.open(state.dir.resolve(scan.current().name()),
          StandardOpenOption.READ)) {
        channel.force(false);
      }
    }
    state.markDurable();
    state.needsRecovery = false;
  }

  private void seal(ChainState state, FileChannel channel, TailScan.Torn torn) throws IOException {
    SealRecord seal = SealRecord.forTornLine(state.chain, clock.instant(), torn.file().name(),
        torn.offset(), torn.length(), torn.kept(), torn.sha256());
    byte[] json = seal.json();
    byte[] suffix = ChainLine.suffix(state.seq + 1, state.hash);
    byte[] line = Arrays.copyOf(json, json.length - 1 + suffix.length + 1);
    System.arraycopy(suffix, 0, line, json.length - 1, suffix.length);
    line[line.length - 1] = '\n';
    channel.truncate(torn.offset());
    ByteBuffer buffer = ByteBuffer.wrap(line);
    long at = torn.offset();
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
    state.seq++;
    state.hash = LineHash.of(line, 0, line.length - 1);
    state.headFile = torn.file().name();
    state.size = at;
    LOG.warn("Audit chain {}: sealed a torn last line of {} bytes in {} at offset {}",
        state.key, torn.length(), torn.file().name(), torn.offset());
  }

  /**
   * Makes sure the chain has a file for the next line of {@code length} bytes: starts the day's
   * first file, or the next one when the day changed or the file would pass {@code maxFileBytes}.
   */
  void prepare(ChainState state, LocalDate today, long length, long maxFileBytes) throws IOException {
    if (state.current == null) {
      start(state, new ChainFile(today, 0));
      return;
    }
    long used = state.size + state.pending.size();
    if (today.isAfter(state.current.date()) || (used > 0 && used + length > maxFileBytes)) {
      FileChannel old = channel(state);
      state.size += state.pending.drainTo(old, state.size);
      state.rotated.add(old);
      open.remove(state);
      state.channel = null;
      start(state, state.current.next(today));
    }
  }

  private void start(ChainState state, ChainFile file) throws IOException {
    ChainFile next = file;
    while (true) {
      try {
        state.channel = FileChannel.open(state.dir.resolve(next.name()),
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        break;
      } catch (FileAlreadyExistsException e) {
        next = next.next(next.date());
      }
    }
    open.put(state, Boolean.TRUE);
    state.current = next;
    state.size = 0;
    state.syncDir = true;
    if (state.oldest == null) {
      state.oldest = next.date();
    }
  }

  /** The open channel of the chain's current file. */
  FileChannel channel(ChainState state) throws IOException {
    if (state.channel == null) {
      state.channel = FileChannel.open(state.dir.resolve(state.current.name()), StandardOpenOption.WRITE);
    }
    open.put(state, Boolean.TRUE);
    return state.channel;
  }

  /** Closes channels beyond the limit, least recently used first, skipping busy chains. */
  void evictIdle() {
    Iterator<ChainState> eldest = open.keySet().iterator();
    while (open.size() > maxOpenFiles && eldest.hasNext()) {
      ChainState state = eldest.next();
      if (state.idle()) {
        eldest.remove();
        closeQuietly(state.channel);
        state.channel = null;
      }
    }
  }

  /** Forgets the chain's open files after a failure; its next event re-reads it from disk. */
  void fail(ChainState state) {
    closeChannels(state);
    state.pending.clear();
    state.seq = state.durableSeq;
    state.hash = state.durableHash;
    state.headFile = state.durableFile;
    state.needsRecovery = true;
  }

  void closeAll() {
    for (ChainState state : byChain.values()) {
      closeChannels(state);
    }
  }

  private void closeChannels(ChainState state) {
    open.remove(state);
    closeQuietly(state.channel);
    state.channel = null;
    state.rotated.forEach(ChainStore::closeQuietly);
    state.rotated.clear();
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("Closing an audit file failed", e);
    }
  }
}
