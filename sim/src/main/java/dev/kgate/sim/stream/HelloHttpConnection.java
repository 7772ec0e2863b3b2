package dev.kgate.sim.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A pod's web server on port 80: reads one HTTP/1.1 request head, answers {@code 200} with {@code
 * hello from <pod>}, and closes the connection.
 */
final class HelloHttpConnection implements PodConnection {

  private static final int MAX_HEAD = 64 * 1024;

  private final Peer peer;
  private final String pod;
  private final StringBuilder head = new StringBuilder();
  private boolean answered;

  HelloHttpConnection(Peer peer, String pod) {
    this.peer = Objects.requireNonNull(peer, "peer");
    this.pod = Objects.requireNonNull(pod, "pod");
  }

  @Override
  public void received(ByteBuf data) {
    try {
      if (answered) {
        return;
      }
      head.append(data.toString(StandardCharsets.ISO_8859_1));
      if (head.indexOf("\r\n\r\n") >= 0 || head.indexOf("\n\n") >= 0) {
        answer("200 OK", "hello from " + pod + "\n", head.toString().startsWith("HEAD "));
      } else if (head.length() > MAX_HEAD) {
        answer("431 Request Header Fields Too Large", "request header too large\n", false);
      }
    } finally {
      data.release();
    }
  }

  @Override
  public void peerClosed() {
    if (!answered) {
      answered = true;
      peer.close();
    }
  }

  @Override
  public void abort() {
    answered = true;
  }

  private void answer(String status, String body, boolean headOnly) {
    answered = true;
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String response = "HTTP/1.1 " + status + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + bytes.length + "\r\n"
        + "Connection: close\r\n"
        + "\r\n"
        + (headOnly ? "" : body);
    peer.send(ByteBufUtil.writeUtf8(peer.alloc(), response));
    peer.close();
  }
}
