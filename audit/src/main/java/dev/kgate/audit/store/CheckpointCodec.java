package dev.kgate.audit.store;

import dev.kgate.audit.AuditEventJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;

/**
 * The checkpoint file format. A checkpoint is a JSON object whose last field is {@code
 * "signature"}; the signature covers the file's exact bytes with that field removed (the object
 * closed right after the field before it), so nothing is re-serialized before verifying. The file
 * name is {@code <yyyymmddThhmmss.SSSZ>-<seq>.json}.
 */
public final class CheckpointCodec {

  public static final String KIND = "AuditCheckpoint";
  private static final byte[] SIGNATURE_FIELD = ",\"signature\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern NAME = Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z-(\\d{10})\\.json");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** A checkpoint file read back: its content, the bytes that were signed, and the signature. */
  public record Signed(Checkpoint checkpoint, byte[] fileBytes, byte[] signedBytes, byte[] signature) {

    /** Whether {@code key} made the signature. */
    public boolean signedBy(PublicKey key) {
      return CheckpointKeys.verify(key, checkpoint.algorithm(), signedBytes, signature);
    }

    /** SHA-256 hex of the whole file, what the next checkpoint records as {@code previous}. */
    public String fileHash() {
      return LineHash.of(fileBytes);
    }
  }

  private CheckpointCodec() {}

  /** The file name for a checkpoint. */
  public static String fileName(Checkpoint checkpoint) {
    return STAMP.format(checkpoint.createdAt()) + "-" + String.format("%010d", checkpoint.seq()) + ".json";
  }

  /** The checkpoint files in a directory, oldest seq first. */
  public static List<Path> list(Path dir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      entries.filter(path -> NAME.matcher(path.getFileName().toString()).matches()).forEach(files::add);
    }
    files.sort((a, b) -> Long.compare(seqOf(a), seqOf(b)));
    return files;
  }

  /** The seq a checkpoint file name carries. */
  public static long seqOf(Path file) {
    Matcher matcher = NAME.matcher(file.getFileName().toString());
    return matcher.matches() ? Long.parseLong(matcher.group(1)) : -1;
  }

  /** When a checkpoint file was written, from its name; null if the name is not a checkpoint's. */
  public static java.time.Instant createdAtOf(Path file) {
    String name = file.getFileName().toString();
    if (!NAME.matcher(name).matches()) {
      return null;
    }
    return java.time.Instant.from(STAMP.parse(name.substring(0, name.indexOf('-'))));
  }

  /** The signed file content for a checkpoint. */
  public static byte[] encode(Checkpoint checkpoint, SigningKey key) {
    byte[] body = body(checkpoint);
    byte[] signature = CheckpointKeys.sign(key, body);
    byte[] tail = (new String(SIGNATURE_FIELD, StandardCharsets.US_ASCII)
        + Base64.getEncoder().encodeToString(signature) + "\"}\n").getBytes(StandardCharsets.US_ASCII);
    byte[] file = Arrays.copyOf(body, body.length - 1 + tail.length);
    System.arraycopy(tail, 0, file, body.length - 1, tail.length);
    return file;
  }

  /** Reads a checkpoint file; {@link IllegalArgumentException} when it is malformed. */
  public static Signed decode(byte[] file) {
    int end = file.length;
    while (end > 0 && (file[end - 1] == '\n' || file[end - 1] == '\r')) {
      end--;
    }
    int at = lastIndexOf(file, SIGNATURE_FIELD, end);
    if (at < 0 || end < 2 || file[end - 1] != '}' || file[end - 2] != '"') {
      throw new IllegalArgumentException("no signature field at the end");
    }
    String encoded = new String(file, at + SIGNATURE_FIELD.length, end - 2 - at - SIGNATURE_FIELD.length,
        StandardCharsets.US_ASCII);
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("signature is not base64");
    }
    byte[] signed = Arrays.copyOf(file, at + 1);
    signed[at] = '}';
    return new Signed(parse(signed), file, signed, signature);
  }

  private static byte[] body(Checkpoint checkpoint) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator json = AuditEventJson.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringProperty("kind", KIND);
      json.writeStringProperty("apiVersion", SealRecord.API_VERSION);
      json.writeNumberProperty("seq", checkpoint.seq());
      json.writeStringProperty("createdAt", AuditEventJson.formatTime(checkpoint.createdAt()));
      json.writeStringProperty("previous", checkpoint.previous());
      json.writeNumberProperty("retainedFrom", checkpoint.retainedFrom());
      json.writeStringProperty("algorithm", checkpoint.algorithm());
      json.writeStringProperty("keyId", checkpoint.keyId());
      json.writeArrayPropertyStart("chains");
      for (Checkpoint.Head head : checkpoint.chains()) {
        json.writeStartObject();
        json.writeStringProperty("chain", head.chain());
        json.writeStringProperty("key", head.key());
        json.writeStringProperty("file", head.file());
        json.writeNumberProperty("seq", head.seq());
        json.writeStringProperty("hash", head.hash());
        json.writeNumberProperty("baseSeq", head.baseSeq());
        json.writeStringProperty("baseHash", head.baseHash());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeArrayPropertyStart("retired");
      for (Checkpoint.Retired retired : checkpoint.retired()) {
        json.writeStartObject();
        json.writeStringProperty("chain", retired.chain());
        json.writeStringProperty("key", retired.key());
        json.writeStringProperty("file", retired.file());
        json.writeNumberProperty("lastSeq", retired.lastSeq());
        json.writeStringProperty("lastHash", retired.lastHash());
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  private static Checkpoint parse(byte[] signed) {
    JsonNode node;
    try {
      node = AuditEventJson.MAPPER.readTree(signed);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON");
    }
    if (node == null || !KIND.equals(AuditEventJson.text(node, "kind"))) {
      throw new IllegalArgumentException("not an " + KIND);
    }
    List<Checkpoint.Head> heads = new ArrayList<>();
    for (JsonNode head : node.path("chains").values()) {
      heads.add(new Checkpoint.Head(required(head, "chain"), safeKey(required(head, "key")),
          required(head, "file"), head.path("seq").asLong(-1), required(head, "hash"),
          head.path("baseSeq").asLong(0), required(head, "baseHash")));
    }
    List<Checkpoint.Retired> retired = new ArrayList<>();
    for (JsonNode entry : node.path("retired").values()) {
      retired.add(new Checkpoint.Retired(required(entry, "chain"), safeKey(required(entry, "key")),
          required(entry, "file"), entry.path("lastSeq").asLong(-1), required(entry, "lastHash")));
    }
    try {
      return new Checkpoint(node.path("seq").asLong(-1),
          AuditEventJson.parseTime(required(node, "createdAt")), required(node, "previous"),
          node.path("retainedFrom").asLong(0), required(node, "algorithm"),
          required(node, "keyId"), heads, retired);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed checkpoint: " + e.getMessage());
    }
  }

  private static String safeKey(String key) {
    if (!ChainKey.isSafeDirName(key)) {
      throw new IllegalArgumentException("chain key is not a safe directory name");
    }
    return key;
  }

  private static String required(JsonNode node, String field) {
    return Optional.ofNullable(AuditEventJson.text(node, field))
        .orElseThrow(() -> new IllegalArgumentException("missing " + field));
  }

  private static int lastIndexOf(byte[] data, byte[] pattern, int end) {
    for (int i = end - pattern.length; i >= 0; i--) {
      int j = 0;
      while (j < pattern.length && data[i + j] == pattern[j]) {
        j++;
      }
      if (j == pattern.length) {
        return i;
      }
    }
    return -1;
  }
}
