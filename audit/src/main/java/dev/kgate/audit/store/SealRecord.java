package dev.kgate.audit.store;

import dev.kgate.audit.AuditEventJson;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * A continuation record: the line the writer adds, on start-up, after cutting a torn last line
 * (the process died mid-write, or a write failed half way). It says what was cut, where, and when,
 * and keeps the first {@value #KEPT_BYTES} bytes of it, so {@code verify} can explain the gap
 * instead of failing blindly. It is chained like any other line.
 *
 * @param chain     the chain it seals
 * @param sealedAt  when the writer sealed the chain
 * @param reason    why, in words
 * @param file      the file the torn line was in
 * @param offset    the byte offset where the torn line started
 * @param cutBytes  how many bytes were cut
 * @param cutSha256 the hash of all the cut bytes
 * @param cutBase64 the first cut bytes, base64
 */
public record SealRecord(String chain, Instant sealedAt, String reason, String file, long offset,
    long cutBytes, String cutSha256, String cutBase64) {

  public static final String KIND = "ChainSeal";
  public static final String API_VERSION = "kgate.dev/v1";
  public static final int KEPT_BYTES = 16 * 1024;

  public SealRecord {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(sealedAt, "sealedAt");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(file, "file");
  }

  /**
   * The seal for a torn line of {@code length} bytes found at {@code offset} of {@code file}, of
   * which {@code kept} are the first bytes and {@code sha256} the hash of all.
   */
  public static SealRecord forTornLine(String chain, Instant now, String file, long offset,
      long length, byte[] kept, String sha256) {
    byte[] first = kept.length > KEPT_BYTES ? java.util.Arrays.copyOf(kept, KEPT_BYTES) : kept;
    return new SealRecord(chain, now, "torn last line cut on start-up (crash or failed write)",
        file, offset, length, sha256, Base64.getEncoder().encodeToString(first));
  }

  /** The record as JSON, one object ending in {@code '}'}, before the chain fields are added. */
  public byte[] json() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator json = AuditEventJson.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("kind", KIND);
      json.writeStringProperty("apiVersion", API_VERSION);
      json.writeStringProperty("chain", chain);
      json.writeStringProperty("sealedAt", AuditEventJson.formatTime(sealedAt));
      json.writeStringProperty("reason", reason);
      json.writeStringProperty("file", file);
      json.writeNumberProperty("offset", offset);
      json.writeNumberProperty("cutBytes", cutBytes);
      json.writeStringProperty("cutSha256", cutSha256);
      json.writeStringProperty("cutBase64", cutBase64);
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /** A seal from a parsed line. */
  public static SealRecord from(JsonNode node) {
    return new SealRecord(AuditEventJson.text(node, "chain"),
        AuditEventJson.parseTime(AuditEventJson.text(node, "sealedAt")),
        AuditEventJson.text(node, "reason"), AuditEventJson.text(node, "file"),
        node.path("offset").asLong(0), node.path("cutBytes").asLong(0),
        AuditEventJson.text(node, "cutSha256"), AuditEventJson.text(node, "cutBase64"));
  }
}
