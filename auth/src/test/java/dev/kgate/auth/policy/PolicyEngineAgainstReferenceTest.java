package dev.kgate.auth.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.auth.attributes.RequestAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property test: for thousands of generated requests and subjects (fixed seeds), the compiled,
 * indexed {@link PolicyEngine} decides exactly as the naive {@link ReferenceEvaluator} does.
 */
class PolicyEngineAgainstReferenceTest {

  private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final List<Duration> LOGIN_AGES =
      List.of(Duration.ofMinutes(1), Duration.ofMinutes(9), Duration.ofMinutes(10), Duration.ofMinutes(11),
          Duration.ofMinutes(59), Duration.ofHours(2), Duration.ofMinutes(-1));

  @Test
  void smallPoliciesDecideAsTheReferenceDoes() {
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    for (long seed = 1; seed <= 8; seed++) {
      Policy policy = PolicyFixtures.generate(40, seed);
      compare(policy, new Random(seed * 31), 4_000, outcomes);
    }
    // the comparison only means something if every kind of decision came up often
    assertThat(outcomes).as("outcomes %s", outcomes)
        .containsKeys("Allowed", "Allowed(discovery)", "StepUpRequired", "BLOCKED", "NO_ACCESS_TO_CLUSTER", "NOT_ALLOWED", "DENY_RULE");
    assertThat(outcomes.values()).allSatisfy(count -> assertThat(count).isGreaterThan(50));
  }

  @Test
  void aFiveHundredRolePolicyDecidesAsTheReferenceDoes() {
    Policy policy = PolicyFixtures.generate(500);
    assertThat(policy.roles()).hasSize(500);
    Map<String, Integer> outcomes = new java.util.TreeMap<>();
    compare(policy, new Random(500), 5_000, outcomes);
    assertThat(outcomes).as("outcomes %s", outcomes).containsKeys("Allowed", "StepUpRequired", "DENY_RULE", "NOT_ALLOWED");
  }

  private static void compare(Policy policy, Random random, int cases, Map<String, Integer> outcomes) {
    PolicyEngine engine = new PolicyEngine(policy, CLOCK);
    ReferenceEvaluator reference = new ReferenceEvaluator(policy);
    for (int i = 0; i < cases; i++) {
      Subject subject = subject(random);
      String cluster = random.nextInt(10) == 0 ? "unknown" : pick(random, PolicyFixtures.CLUSTERS);
      RequestAttributes request = request(random);
      Decision actual = engine.decide(subject, cluster, request);
      Decision expected = reference.decide(subject, cluster, request, NOW);
      assertThat(comparable(actual))
          .as("case %d: %s on %s by %s", i, request, cluster, subject)
          .isEqualTo(comparable(expected));
      outcomes.merge(kind(actual), 1, Integer::sum);
    }
  }

  /** Denials compare on reason and message; the detail is for operators and may differ. */
  private static Object comparable(Decision decision) {
    if (decision instanceof Decision.Denied) {
      Decision.Denied denied = (Decision.Denied) decision;
      return denied.reason() + ": " + denied.message();
    }
    return decision;
  }

  private static String kind(Decision decision) {
    if (decision instanceof Decision.Denied) {
      return ((Decision.Denied) decision).reason().name();
    }
    if (decision instanceof Decision.Allowed && ((Decision.Allowed) decision).byDiscoveryDefault()) {
      return "Allowed(discovery)";
    }
    return decision.getClass().getSimpleName();
  }

  private static Subject subject(Random random) {
    String username = random.nextInt(40) == 0
        ? PolicyFixtures.BLOCKED_USER
        : pick(random, PolicyFixtures.users());
    Set<String> groups = new HashSet<>();
    int groupCount = random.nextInt(5);
    for (int i = 0; i < groupCount; i++) {
      groups.add("team-" + random.nextInt(PolicyFixtures.GROUP_COUNT));
    }
    Set<String> amr = new HashSet<>(PolicyFixtures.pick(random, List.of("pwd", "otp", "mfa", "hwk"), 0, 2));
    String acr = pick(random, java.util.Arrays.asList(null, "pwd", "mfa"));
    Instant authTime = random.nextInt(6) == 0 ? null : NOW.minus(pick(random, LOGIN_AGES));
    return new Subject(username, groups, amr, acr, authTime);
  }

  private static RequestAttributes request(Random random) {
    if (random.nextInt(5) == 0) {
      return new RequestAttributes.NonResource(pick(random, PolicyFixtures.URL_VERBS), pick(random, PolicyFixtures.URLS));
    }
    List<String> namespaces = new ArrayList<>(PolicyFixtures.NAMESPACES);
    namespaces.add("");
    return new RequestAttributes.Resource(
        pick(random, PolicyFixtures.VERBS),
        pick(random, PolicyFixtures.API_GROUPS),
        "v1",
        pick(random, PolicyFixtures.RESOURCES),
        pick(random, PolicyFixtures.SUBRESOURCES),
        pick(random, namespaces),
        pick(random, PolicyFixtures.NAMES));
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

}
