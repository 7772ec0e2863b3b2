package dev.kgate.audit.webhook;

import dev.kgate.audit.AuditEventJson;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One batch as the API server's own audit webhook sends it: an {@code audit.k8s.io/v1} {@code
 * EventList} whose items are the events exactly as {@link AuditEventJson#write} writes them (no
 * hash-chain fields: those belong to the file log). Since every item is already a complete JSON
 * object, the list is put together byte by byte rather than parsed and written again.
 */
final class EventListBody {

  private static final byte[] HEAD = ("{\"kind\":\"EventList\",\"apiVersion\":\""
      + AuditEventJson.API_VERSION + "\",\"metadata\":{},\"items\":[").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);

  /** The bytes a batch of {@code itemBytes} (the items' total size) and {@code count} items takes. */
  static long size(long itemBytes, int count) {
    return HEAD.length + itemBytes + Math.max(0, count - 1) + TAIL.length;
  }

  /** The EventList holding {@code items}, each one event's JSON. */
  static byte[] encode(List<byte[]> items) {
    long itemBytes = 0;
    for (byte[] item : items) {
      itemBytes += item.length;
    }
    byte[] body = new byte[Math.toIntExact(size(itemBytes, items.size()))];
    int at = 0;
    System.arraycopy(HEAD, 0, body, at, HEAD.length);
    at += HEAD.length;
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        body[at++] = ',';
      }
      byte[] item = items.get(i);
      System.arraycopy(item, 0, body, at, item.length);
      at += item.length;
    }
    System.arraycopy(TAIL, 0, body, at, TAIL.length);
    return body;
  }

  private EventListBody() {}
}
