package dev.kgate.auth.stepup;

/**
 * What {@link StepUp#check} found: the login is strong and fresh enough ({@link #SATISFIED}), or
 * the person must log in again as a {@link StepUpChallenge} says.
 */
public sealed interface StepUpResult permits StepUpResult.Satisfied, StepUpChallenge {

  /** The one "go ahead" answer. */
  StepUpResult SATISFIED = new Satisfied();

  /** The login meets the required strength. */
  record Satisfied() implements StepUpResult {}
}
