package dev.kgate.bench;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.policy.Decision;
import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyEngine;
import dev.kgate.auth.policy.Subject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one policy decision costs the gateway with a large policy ({@link LargePolicy}: 500 roles
 * by default), for the shapes of request that take different paths through {@link PolicyEngine}:
 * <ul>
 *   <li>{@code allowedEarlyRole}: a developer of one team, allowed by the first role in the file;
 *   <li>{@code allowedLateRole}: a person in 20 teams, two platform groups and release managers,
 *       allowed only by the last role in the file after the engine has gone through all the others
 *       they hold on the cluster;
 *   <li>{@code deniedAfterScanning}: the same person asking for what none of their roles allows,
 *       so every deny and allow rule of every role they hold is tried;
 *   <li>{@code denyRule}: the same person hitting a deny rule (the engine stops there);
 *   <li>{@code discovery}: the same person's kubectl fetching API discovery, allowed by the
 *       policy's discovery default once no rule matched;
 *   <li>{@code stepUp}: an on-call engineer's exec in production without the MFA login it needs.
 * </ul>
 * Each case's decision is checked at setup, so a change to the generator cannot silently turn the
 * "late" case into an early one. The engine's clock is fixed: reading the time is the clock's
 * cost, not the policy's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyDecisionBenchmark {

  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  @Param({"500"})
  public int roles;

  private PolicyEngine engine;

  private final Subject developer = new Subject("ana@example.com", Set.of(LargePolicy.team(0)), Set.of(), null, NOW);
  private final Subject manyRoles = new Subject("rhea@example.com", manyGroups(), Set.of("pwd"), null, NOW);
  private final Subject onCall = new Subject("omar@example.com",
      Set.of(LargePolicy.team(42), LargePolicy.team(42) + "-oncall"), Set.of("pwd"), null, NOW);

  private final RequestAttributes listPods =
      new RequestAttributes.Resource("list", "", "v1", "pods", "", "team-00-api", "");
  private final RequestAttributes scaleDeployment =
      new RequestAttributes.Resource("patch", "apps", "v1", "deployments", "scale", "team-85-prod", "web");
  private final RequestAttributes updateConfigMap =
      new RequestAttributes.Resource("update", "", "v1", "configmaps", "", "team-85-api", "app-config");
  private final RequestAttributes getSecret =
      new RequestAttributes.Resource("get", "", "v1", "secrets", "", "team-85", "db");
  private final RequestAttributes apiDiscovery = new RequestAttributes.NonResource("get", "/apis/apps/v1");
  private final RequestAttributes exec =
      new RequestAttributes.Resource("create", "", "v1", "pods", "exec", "team-42", "web");

  private static Set<String> manyGroups() {
    Set<String> groups = new LinkedHashSet<>();
    for (int team = 80; team < 100; team++) {
      groups.add(LargePolicy.team(team));
    }
    groups.add("platform-3");
    groups.add("platform-7");
    groups.add("release");
    return groups;
  }

  @Setup(Level.Trial)
  public void load() {
    Policy policy = LargePolicy.load(roles);
    if (policy.roles().size() != roles) {
      throw new IllegalStateException("expected " + roles + " roles, the generator wrote " + policy.roles().size());
    }
    engine = new PolicyEngine(policy, Clock.fixed(NOW, ZoneOffset.UTC));
    String lastRole = policy.roles().get(roles - 1).name();
    expectAllowed(allowedEarlyRole(), policy.roles().get(0).name());
    expectAllowed(allowedLateRole(), lastRole);
    expectDenied(deniedAfterScanning(), Decision.Denied.Reason.NOT_ALLOWED);
    expectDenied(denyRule(), Decision.Denied.Reason.DENY_RULE);
    Decision discovery = discovery();
    if (!(discovery instanceof Decision.Allowed allowed) || !allowed.byDiscoveryDefault()) {
      throw new IllegalStateException("discovery: expected the discovery default, was " + discovery);
    }
    if (!(stepUp() instanceof Decision.StepUpRequired)) {
      throw new IllegalStateException("stepUp: expected a step-up, was " + stepUp());
    }
  }

  private static void expectAllowed(Decision decision, String role) {
    if (!(decision instanceof Decision.Allowed allowed) || !allowed.role().equals(role)) {
      throw new IllegalStateException("expected allowed by " + role + ", was " + decision);
    }
  }

  private static void expectDenied(Decision decision, Decision.Denied.Reason reason) {
    if (!(decision instanceof Decision.Denied denied) || denied.reason() != reason) {
      throw new IllegalStateException("expected denied " + reason + ", was " + decision);
    }
  }

  @Benchmark
  public Decision allowedEarlyRole() {
    return engine.decide(developer, "dev-eu", listPods);
  }

  @Benchmark
  public Decision allowedLateRole() {
    return engine.decide(manyRoles, "prod-eu-1", scaleDeployment);
  }

  @Benchmark
  public Decision deniedAfterScanning() {
    return engine.decide(manyRoles, "prod-eu-1", updateConfigMap);
  }

  @Benchmark
  public Decision denyRule() {
    return engine.decide(manyRoles, "prod-eu-1", getSecret);
  }

  @Benchmark
  public Decision discovery() {
    return engine.decide(manyRoles, "prod-eu-1", apiDiscovery);
  }

  @Benchmark
  public Decision stepUp() {
    return engine.decide(onCall, "prod-eu-1", exec);
  }
}
