package dev.kgate.gateway.authz;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyEngine;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy in force, swapped atomically as a whole: a request is decided entirely under one
 * version, never half under the old rules and half under the new. Empty when the gateway runs
 * without a policy file.
 */
public final class AccessPolicy {

  private final Clock clock;
  private final AtomicReference<PolicyEngine> engine;
  private final OpenStreams streams;

  private AccessPolicy(PolicyEngine engine, Clock clock) {
    this.clock = clock;
    this.engine = new AtomicReference<>(engine);
    this.streams = new OpenStreams(clock);
  }

  /** No gateway-side policy: every cluster's own RBAC decides. */
  public static AccessPolicy none() {
    return new AccessPolicy(null, Clock.systemUTC());
  }

  public static AccessPolicy of(Policy policy, Clock clock) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(clock, "clock");
    return new AccessPolicy(new PolicyEngine(policy, clock), clock);
  }

  /** The engine for the next decision. */
  public Optional<PolicyEngine> current() {
    return Optional.ofNullable(engine.get());
  }

  /**
   * Applies a new policy to every later request, then closes the open streams it no longer allows.
   */
  public void replace(Policy policy) {
    engine.set(new PolicyEngine(Objects.requireNonNull(policy, "policy"), clock));
    streams.revokeUnder(policy);
  }

  /** The long-running streams this policy watches over. */
  public OpenStreams streams() {
    return streams;
  }

  public Clock clock() {
    return clock;
  }
}
