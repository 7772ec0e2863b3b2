package dev.kgate.auth.attributes;

/**
 * Carries a {@link Refused} out of the nested parsing code to {@link RequestAttributesResolver},
 * which turns it back into a value; it never leaves this package. Stackless: refusals are client
 * mistakes (or probes), and they should cost no more than an answer.
 */
final class Refusal extends RuntimeException {

  private static final long serialVersionUID = 1L;

  Refusal(String reason) {
    super(reason, null, false, false);
  }

  Refused refused() {
    return new Refused(getMessage());
  }
}
