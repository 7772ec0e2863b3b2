package dev.kgate.auth.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The policy file cannot be used. Carries every problem found, not only the first, so that the
 * file is fixed in one pass; {@link #getMessage()} has one line per error. On a reload, the gateway
 * logs this and keeps the policy it has.
 */
public final class PolicyException extends Exception {

  private static final long serialVersionUID = 1L;

  private final List<PolicyError> errors;

  public PolicyException(List<PolicyError> errors) {
    super(format(errors));
    this.errors = List.copyOf(errors);
    if (this.errors.isEmpty()) {
      throw new IllegalArgumentException("a PolicyException needs at least one error");
    }
  }

  /** A single error. */
  public PolicyException(String path, String message) {
    this(List.of(new PolicyError(path, message)));
  }

  /** Every error, in document order. */
  public List<PolicyError> errors() {
    return errors;
  }

  private static String format(List<PolicyError> errors) {
    return errors.stream().map(PolicyError::toString).collect(Collectors.joining("\n"));
  }
}
