package dev.kgate.sim.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The pod's end of one forwarded TCP connection: what a program listening on the port would see.
 * All calls happen on the session's event loop.
 */
interface PodConnection {

  /** Bytes from the client; ownership passes. */
  void received(ByteBuf data);

  /** The client half-closed its side (FIN on the data stream). */
  void peerClosed();

  /** The stream was reset or the session went away: drop everything. */
  void abort();

  /** Where a pod connection writes. */
  interface Peer {
    ByteBufAllocator alloc();

    /** Bytes to the client; ownership passes. */
    void send(ByteBuf data);

    /** The pod side is done: close the connection (FIN on the data and error streams). */
    void close();
  }
}
