package dev.kgate.audit.redact;

/**
 * What the gateway saw of one body as it streamed past: its headers, its size, and a copy of its
 * bytes when the whole body fit under the copy limit. Never written as such; {@link
 * BodyRedaction} decides what of it an event may hold.
 *
 * @param contentType     the body's {@code Content-Type}, or null
 * @param contentEncoding the body's {@code Content-Encoding}, or null
 * @param bytes           the whole body, or null when it was larger than {@code limit}
 * @param size            how many bytes of the body went past
 * @param limit           the most the copy could hold ({@code audit.maxBodyBytes})
 * @param complete        whether the body ended (false when the exchange ended before it did)
 */
public record CapturedBody(
    String contentType, String contentEncoding, byte[] bytes, long size, int limit, boolean complete) {

  /** Whether there was no body at all. */
  public boolean isEmpty() {
    return size == 0 && complete;
  }
}
