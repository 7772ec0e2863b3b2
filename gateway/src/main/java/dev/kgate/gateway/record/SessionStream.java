package dev.kgate.gateway.record;

/**
 * The streams of a remote-command session (exec, attach) as the API server numbers them on
 * WebSocket ({@code v5.channel.k8s.io} channel bytes 0–4) and names them on SPDY ({@code
 * streamtype} header), PROTOCOLS.md §2–3.
 */
enum SessionStream {
  STDIN, STDOUT, STDERR, ERROR, RESIZE;

  /** The stream of a WebSocket channel byte, or null (255 is v5's close signal, not a stream). */
  static SessionStream ofChannel(int channel) {
    return switch (channel) {
      case 0 -> STDIN;
      case 1 -> STDOUT;
      case 2 -> STDERR;
      case 3 -> ERROR;
      case 4 -> RESIZE;
      default -> null;
    };
  }

  /** The stream of a SPDY {@code streamtype} header value, or null. */
  static SessionStream ofStreamType(String type) {
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "stdin" -> STDIN;
      case "stdout" -> STDOUT;
      case "stderr" -> STDERR;
      case "error" -> ERROR;
      case "resize" -> RESIZE;
      default -> null;
    };
  }

  /** Receives the bytes of one stream; {@code data} is only valid during the call. */
  interface Sink {
    void data(SessionStream stream, byte[] data, int offset, int length);
  }
}
