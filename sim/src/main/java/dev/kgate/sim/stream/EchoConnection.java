package dev.kgate.sim.stream;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/** A pod port that echoes every byte back and closes when the client does. */
final class EchoConnection implements PodConnection {

  private final Peer peer;

  EchoConnection(Peer peer) {
    this.peer = Objects.requireNonNull(peer, "peer");
  }

  @Override
  public void received(ByteBuf data) {
    peer.send(data);
  }

  @Override
  public void peerClosed() {
    peer.close();
  }

  @Override
  public void abort() {}
}
