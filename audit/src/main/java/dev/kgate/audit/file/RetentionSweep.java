package dev.kgate.audit.file;

import dev.kgate.audit.store.ChainFile;
import dev.kgate.audit.store.Checkpoint;
import dev.kgate.audit.store.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention by age: plans which chain files are entirely older than the retention age, moves each
 * chain's base past them, and (after a checkpoint has recorded that) deletes them. A chain's last
 * file is never deleted, since the chain continues from it. Writer thread only.
 */
final class RetentionSweep {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweep.class);

  /** Files to delete, what the checkpoint says about them, and the directories to sync after. */
  record Plan(List<Checkpoint.Retired> retired, List<Path> files, Set<Path> dirs) {

    boolean isEmpty() {
      return files.isEmpty();
    }
  }

  private RetentionSweep() {}

  static Plan plan(Collection<ChainState> chains, Instant now, Duration retention) {
    Plan plan = new Plan(new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>());
    if (retention.isZero()) {
      return plan;
    }
    Instant cutoff = now.minus(retention);
    for (ChainState state : chains) {
      if (state.oldest == null || state.current == null || state.needsRecovery
          || endOf(state.oldest).isAfter(cutoff)) {
        continue;
      }
      try {
        planChain(state, cutoff, plan);
      } catch (IOException e) {
        LOG.warn("Retention skipped audit chain {}", state.key, e);
      }
    }
    return plan;
  }

  private static void planChain(ChainState state, Instant cutoff, Plan plan) throws IOException {
    List<ChainFile> files = ChainFile.list(state.dir);
    int kept = 0;
    for (int i = 0; i < files.size() - 1; i++) {
      ChainFile file = files.get(i);
      if (file.equals(state.current) || endOf(file.date()).isAfter(cutoff)) {
        break;
      }
      Path path = state.dir.resolve(file.name());
      Optional<TailScan.LastLine> last = TailScan.lastLine(path);
      if (last.isEmpty() && Files.size(path) > 0) {
        LOG.warn("Retention stops at {}: its last line is unreadable", path);
        break;
      }
      if (last.isPresent()) {
        plan.retired().add(new Checkpoint.Retired(state.chain, state.key, file.name(),
            last.get().seq(), last.get().hash()));
        state.baseSeq = last.get().seq();
        state.baseHash = last.get().hash();
      }
      plan.files().add(path);
      plan.dirs().add(state.dir);
      kept = i + 1;
    }
    state.oldest = files.isEmpty() ? null : files.get(kept).date();
  }

  /** Deletes the planned files; call after a checkpoint recorded the plan. */
  static void apply(Plan plan) throws IOException {
    for (Path file : plan.files()) {
      Files.deleteIfExists(file);
    }
    for (Path dir : plan.dirs()) {
      DurableFiles.syncDirectory(dir);
    }
    if (!plan.isEmpty()) {
      LOG.info("Retention removed {} audit files", plan.files().size());
    }
  }

  private static Instant endOf(LocalDate day) {
    return day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
