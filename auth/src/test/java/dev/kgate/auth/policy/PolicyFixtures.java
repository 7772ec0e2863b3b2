package dev.kgate.auth.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated policies for the property test and for benchmarks: {@link #generate(int)} builds a
 * policy of that many roles, deterministically, through the real {@link PolicyLoader} (so the
 * YAML it writes is also a large loader test). The vocabulary is small on purpose, so that
 * generated requests hit rules, denies, globs, step-ups and blocks often.
 */
public final class PolicyFixtures {

  static final List<String> CLUSTERS = List.of("prod-eu", "prod-us", "staging", "dev-eu", "dev-us");
  static final List<String> CLUSTER_PATTERNS = List.of("prod-*", "prod-eu", "staging", "dev-*", "*", "*-eu", "dev-us");
  static final List<String> NAMESPACES = List.of("default", "payments", "dev-a", "dev-b", "kube-system", "team-x-dev");
  static final List<String> NAMESPACE_PATTERNS =
      List.of("default", "payments", "dev-*", "kube-system", "*", "team-*-dev", "*-b");
  static final List<String> API_GROUPS = List.of("", "apps", "batch");
  static final List<String> RESOURCES = List.of("pods", "secrets", "deployments", "nodes", "configmaps", "jobs");
  static final List<String> SUBRESOURCES = List.of("", "", "", "exec", "log", "status", "scale");
  static final List<String> NAMES = List.of("", "", "web", "db");
  static final List<String> URLS = List.of("/api", "/apis/apps/v1", "/version", "/healthz", "/metrics", "/logs/app", "/openapi/v3");
  static final List<String> URL_PATTERNS = List.of("/healthz", "/metrics", "/logs/*", "*", "/version");
  static final List<String> VERBS =
      List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
  static final List<String> URL_VERBS = List.of("get", "head", "post");
  static final int GROUP_COUNT = 40;
  static final int USER_COUNT = 60;
  static final String BLOCKED_USER = "user7@example.com";
  static final String BLOCKED_GROUP = "team-13";

  private PolicyFixtures() {}

  /** A policy of {@code roles} roles, the same every time. */
  public static Policy generate(int roles) {
    return generate(roles, 20260501L);
  }

  /** A policy of {@code roles} roles drawn with {@code seed}. */
  public static Policy generate(int roles, long seed) {
    try {
      return PolicyLoader.parse(yaml(roles, new Random(seed)));
    } catch (PolicyException e) {
      throw new IllegalStateException("the generator wrote an invalid policy:\n" + e.getMessage(), e);
    }
  }

  static String yaml(int roles, Random random) {
    StringBuilder out = new StringBuilder();
    out.append("blocked: { users: [\"").append(BLOCKED_USER).append("\"], groups: [").append(BLOCKED_GROUP).append("] }\n");
    out.append("discovery: ").append(random.nextInt(4) == 0 ? "deny" : "allow").append('\n');
    out.append("mfaMethods: [mfa, otp]\n");
    out.append("roles:\n");
    for (int r = 0; r < roles; r++) {
      out.append("  - name: role-").append(r).append('\n');
      out.append("    subjects:\n");
      out.append("      groups: ").append(flow(pick(random, groups(), 0, 3))).append('\n');
      out.append("      users: ").append(flow(pick(random, users(), 0, 2))).append('\n');
      out.append("    clusters: ").append(flow(pick(random, CLUSTER_PATTERNS, 1, 2))).append('\n');
      out.append("    impersonate: { groups: [\"kgate:role-").append(r).append("\"] }\n");
      out.append("    rules:\n");
      int rules = 1 + random.nextInt(4);
      for (int i = 0; i < rules; i++) {
        out.append("      - ").append(rule(random, true)).append('\n');
      }
      if (random.nextInt(3) == 0) {
        out.append("    deny:\n");
        out.append("      - ").append(rule(random, false)).append('\n');
      }
    }
    return out.toString();
  }

  private static String rule(Random random, boolean allow) {
    List<String> fields = new ArrayList<>();
    if (random.nextInt(6) == 0) {
      fields.add("verbs: " + flow(random.nextInt(4) == 0 ? List.of("*") : pick(random, URL_VERBS, 1, 2)));
      fields.add("nonResourceURLs: " + flow(pick(random, URL_PATTERNS, 1, 2)));
    } else {
      fields.add("verbs: " + flow(random.nextInt(6) == 0 ? List.of("*") : pick(random, VERBS, 1, 4)));
      if (random.nextBoolean()) {
        fields.add("apiGroups: " + flow(random.nextInt(4) == 0 ? List.of("*") : pick(random, API_GROUPS, 1, 2)));
      }
      fields.add("resources: " + flow(resources(random)));
      if (random.nextInt(5) == 0) {
        fields.add("resourceNames: [web]");
      }
      List<String> namespaces = random.nextInt(6) == 0 ? List.of() : pick(random, NAMESPACE_PATTERNS, 1, 2);
      if (!namespaces.isEmpty()) {
        fields.add("namespaces: " + flow(namespaces));
      }
      if (namespaces.isEmpty() || random.nextInt(5) == 0) {
        fields.add("clusterScoped: true");
      }
    }
    if (allow && random.nextInt(4) == 0) {
      List<String> mfa = new ArrayList<>();
      if (random.nextInt(3) > 0) {
        mfa.add("required: true");
      } else {
        mfa.add("required: false");
      }
      if (random.nextBoolean()) {
        mfa.add("maxAge: " + (random.nextBoolean() ? "10m" : "1h"));
      }
      if (random.nextInt(3) == 0) {
        mfa.add("acr: mfa");
      }
      fields.add("mfa: { " + String.join(", ", mfa) + " }");
    }
    return "{ " + String.join(", ", fields) + " }";
  }

  private static List<String> resources(Random random) {
    if (random.nextInt(8) == 0) {
      return List.of("*");
    }
    List<String> resources = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      String resource = RESOURCES.get(random.nextInt(RESOURCES.size()));
      String sub = SUBRESOURCES.get(random.nextInt(SUBRESOURCES.size()));
      if (!sub.isEmpty() && random.nextInt(4) == 0) {
        resource = "*";
      }
      String entry = sub.isEmpty() ? resource : resource + "/" + sub;
      if (!resources.contains(entry)) {
        resources.add(entry);
      }
    }
    return resources;
  }

  static List<String> groups() {
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < GROUP_COUNT; i++) {
      groups.add("team-" + i);
    }
    groups.add(Policy.EVERYONE);
    return groups;
  }

  static List<String> users() {
    List<String> users = new ArrayList<>();
    for (int i = 0; i < USER_COUNT; i++) {
      users.add("user" + i + "@example.com");
    }
    return users;
  }

  static List<String> pick(Random random, List<String> from, int min, int max) {
    int count = min + random.nextInt(max - min + 1);
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String value = from.get(random.nextInt(from.size()));
      if (!picked.contains(value)) {
        picked.add(value);
      }
    }
    return picked;
  }

  private static String flow(List<String> values) {
    List<String> quoted = new ArrayList<>();
    for (String value : values) {
      quoted.add("\"" + value + "\"");
    }
    return "[" + String.join(", ", quoted) + "]";
  }
}
