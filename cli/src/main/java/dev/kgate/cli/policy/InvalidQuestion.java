package dev.kgate.cli.policy;

/**
 * A question {@code can-i} or {@code who-can} cannot answer: the policy does not load, or the
 * request is malformed. The message is the one plain line the person reads.
 */
final class InvalidQuestion extends Exception {

  private static final long serialVersionUID = 1L;

  InvalidQuestion(String message) {
    super(message);
  }
}
