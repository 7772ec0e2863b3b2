package dev.kgate.gateway.forward;

import dev.kgate.audit.redact.CapturedBody;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A bounded copy of one body, taken chunk by chunk as it streams past. Copies bytes out of each
 * buffer without touching its indexes or reference count, so the forwarded buffer goes on exactly
 * as it came; once the body outgrows the limit the copy is dropped and only its size is counted.
 * One exchange, one event loop: not thread-safe.
 */
final class BodyCopy {

  private final int limit;
  private byte[] bytes = new byte[0];
  private int length;
  private long size;
  private boolean overflowed;
  private boolean ended;
  private String contentType;
  private String contentEncoding;

  BodyCopy(int limit) {
    this.limit = limit;
  }

  void headers(String contentType, String contentEncoding) {
    this.contentType = contentType;
    this.contentEncoding = contentEncoding;
  }

  void append(ByteBuf chunk, boolean last) {
    int readable = chunk.readableBytes();
    size += readable;
    ended |= last;
    if (overflowed || readable == 0) {
      return;
    }
    if (length + readable > limit) {
      overflowed = true;
      bytes = null; // nothing of an oversized body is kept
      return;
    }
    if (length + readable > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(length + readable, bytes.length * 2)));
    }
    chunk.getBytes(chunk.readerIndex(), bytes, length, readable);
    length += readable;
  }

  CapturedBody captured() {
    return new CapturedBody(contentType, contentEncoding, overflowed ? null : Arrays.copyOf(bytes, length),
        size, limit, ended);
  }
}
