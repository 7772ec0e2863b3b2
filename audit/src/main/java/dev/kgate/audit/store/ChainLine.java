package dev.kgate.audit.store;

import dev.kgate.audit.AuditEventJson;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One line of a chain as the readers see it. Every line is a JSON object whose last two fields
 * are {@code "seq"} (1, 2, 3… per chain) and {@code "prevHash"} ({@link LineHash} of the line
 * before); the writer appends them to the serialized event, so the event JSON itself is untouched.
 * A line is an {@code Event} or a {@link SealRecord}.
 *
 * @param seq      the line's number in its chain
 * @param prevHash the hash of the chain's previous line
 * @param chain    the chain the line belongs to, from its content
 * @param seal     whether it is a seal record rather than an event
 * @param node     the parsed line
 */
public record ChainLine(long seq, String prevHash, String chain, boolean seal, JsonNode node) {

  /** Parses a line; empty when it is not JSON or lacks a chain field. */
  public static Optional<ChainLine> parse(byte[] bytes) {
    JsonNode node;
    try {
      node = AuditEventJson.MAPPER.readTree(bytes);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject() || !node.path("seq").isIntegralNumber()) {
      return Optional.empty();
    }
    String prevHash = AuditEventJson.text(node, "prevHash");
    if (prevHash == null) {
      return Optional.empty();
    }
    String kind = AuditEventJson.text(node, "kind");
    if (SealRecord.KIND.equals(kind)) {
      String chain = AuditEventJson.text(node, "chain");
      return chain == null ? Optional.empty()
          : Optional.of(new ChainLine(node.path("seq").longValue(), prevHash, chain, true, node));
    }
    if (!AuditEventJson.KIND.equals(kind)) {
      return Optional.empty();
    }
    String username = AuditEventJson.text(node.path("user"), "username");
    List<String> sourceIps = new ArrayList<>();
    for (JsonNode ip : node.path("sourceIPs").values()) {
      sourceIps.add(ip.isString() ? ip.stringValue() : "");
    }
    return Optional.of(new ChainLine(node.path("seq").longValue(), prevHash,
        ChainKey.chainOf(username, sourceIps), false, node));
  }

  /**
   * What the writer appends in place of an object's closing brace: {@code ,"seq":N,"prevHash":"H"}}.
   */
  public static byte[] suffix(long seq, String prevHash) {
    return (",\"seq\":" + seq + ",\"prevHash\":\"" + prevHash + "\"}").getBytes(StandardCharsets.US_ASCII);
  }
}
