package dev.kgate.audit.file;

import dev.kgate.audit.Durability;
import java.util.concurrent.CompletableFuture;

/** An event on its way to disk: its chain, its serialized JSON, and who waits for the outcome. */
final class PendingEvent {

  final String chain;
  final byte[] json;
  final CompletableFuture<Durability> future = new CompletableFuture<>();
  /** The seq the writer gave it; writer thread only. */
  long seq;

  PendingEvent(String chain, byte[] json) {
    this.chain = chain;
    this.json = json;
  }

  void written() {
    future.complete(new Durability.Written(chain, seq));
  }

  void notWritten(String reason) {
    future.complete(new Durability.NotWritten(reason));
  }
}
