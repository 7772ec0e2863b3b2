package dev.kgate.audit.redact;

import dev.kgate.audit.AuditObject;
import java.util.Objects;

/** What an event records of one body: the redacted body, why it is left out, or nothing at all. */
public sealed interface RecordedBody {

  /** There was no body. */
  record Empty() implements RecordedBody {}

  /**
   * The body, with {@code redactedFields} credential-like values replaced by {@value
   * BodyRedaction#REDACTED}.
   */
  record Written(AuditObject object, int redactedFields) implements RecordedBody {
    public Written {
      Objects.requireNonNull(object, "object");
    }
  }

  /** The body is not written; {@code reason} says why, for the reviewer. */
  record Omitted(String reason) implements RecordedBody {
    public Omitted {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
