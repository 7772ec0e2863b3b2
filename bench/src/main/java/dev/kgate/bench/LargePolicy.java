package dev.kgate.bench;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A large policy shaped like a real organisation's, the same every time, read through the real
 * {@link PolicyLoader}: 100 teams with four roles each (development, production read-only with a
 * deny on secrets, an on-call role whose exec and writes in production need a fresh MFA login, and
 * a CI role held by a robot user), then platform roles (node readers, auditors, security with an
 * {@code acr} demand, regional admins, URL rules, roles for everyone), and at the very end a
 * release-managers role, so a request it allows is decided by the last role in the file.
 */
final class LargePolicy {

  static final int TEAMS = 100;
  static final int ROLES_PER_TEAM = 4;

  /** The clusters the gateway would serve; the policy names them literally and by globs. */
  static final List<String> CLUSTERS = List.of(
      "prod-eu-1", "prod-eu-2", "prod-us-1", "staging-eu", "staging-us", "dev-eu", "dev-us", "ci");

  private static final List<String> CLUSTER_GLOBS =
      List.of("prod-*", "prod-eu-*", "prod-us-*", "staging-*", "dev-*", "*", "*-eu", "ci", "prod-eu-1");
  private static final List<String> PLATFORM_RESOURCES =
      List.of("pods", "pods/log", "services", "configmaps", "events", "ingresses", "persistentvolumeclaims");

  private LargePolicy() {}

  static String team(int team) {
    return String.format(Locale.ROOT, "team-%02d", team);
  }

  /** YAML of a policy with exactly {@code roles} roles ({@code roles >= TEAMS * ROLES_PER_TEAM + 1}). */
  static String yaml(int roles) {
    int platformRoles = roles - TEAMS * ROLES_PER_TEAM - 1;
    if (platformRoles < 0) {
      throw new IllegalArgumentException("at least " + (TEAMS * ROLES_PER_TEAM + 1) + " roles");
    }
    Random random = new Random(20260501L);
    StringBuilder y = new StringBuilder();
    y.append("blocked: { users: [\"mallory@example.com\"], groups: [contractors-offboarded] }\n");
    y.append("discovery: allow\n");
    y.append("mfaMethods: [otp, hwk, mfa]\n");
    y.append("roles:\n");
    for (int t = 0; t < TEAMS; t++) {
      String team = team(t);
      y.append("  - name: ").append(team).append("-dev\n")
          .append("    subjects: { groups: [").append(team).append("] }\n")
          .append("    clusters: [\"dev-*\", \"staging-*\"]\n")
          .append("    impersonate: { groups: [\"kgate:").append(team).append("-dev\"] }\n")
          .append("    rules:\n")
          .append("      - { verbs: [get, list, watch], apiGroups: [\"\", apps, batch],")
          .append(" resources: [pods, pods/log, deployments, configmaps, jobs, services], namespaces: [\"")
          .append(team).append("-*\"] }\n")
          .append("      - { verbs: [create, update, patch, delete], apiGroups: [\"\", apps],")
          .append(" resources: [deployments, configmaps, services], namespaces: [\"").append(team).append("-*\"] }\n")
          .append("      - { verbs: [create], resources: [pods/exec, pods/portforward], namespaces: [\"")
          .append(team).append("-dev\"] }\n");
      y.append("  - name: ").append(team).append("-prod-read\n")
          .append("    subjects: { groups: [").append(team).append("] }\n")
          .append("    clusters: [\"prod-*\"]\n")
          .append("    impersonate: { groups: [\"kgate:").append(team).append("-view\"] }\n")
          .append("    rules:\n")
          .append("      - { verbs: [get, list, watch], apiGroups: [\"\", apps], resources: [pods, pods/log, deployments,")
          .append(" services, events], namespaces: [\"").append(team).append("\", \"").append(team).append("-*\"] }\n")
          .append("    deny:\n")
          .append("      - { verbs: [\"*\"], resources: [secrets], namespaces: [\"*\"] }\n");
      y.append("  - name: ").append(team).append("-oncall\n")
          .append("    subjects: { groups: [").append(team).append("-oncall], users: [\"lead-").append(team)
          .append("@example.com\"] }\n")
          .append("    clusters: [\"prod-*\", \"staging-*\"]\n")
          .append("    impersonate: { groups: [\"kgate:").append(team).append("-oncall\"] }\n")
          .append("    rules:\n")
          .append("      - { verbs: [get, list, watch], apiGroups: [\"*\"], resources: [\"*\"], namespaces: [\"")
          .append(team).append("\", \"").append(team).append("-*\"] }\n")
          .append("      - { verbs: [create], resources: [pods/exec], namespaces: [\"").append(team).append("\", \"")
          .append(team).append("-*\"], mfa: { required: true, maxAge: 15m } }\n")
          .append("      - { verbs: [patch, delete], apiGroups: [apps], resources: [deployments, deployments/scale],")
          .append(" namespaces: [\"").append(team).append("-*\"], mfa: { required: true, maxAge: 1h } }\n")
          .append("    deny:\n")
          .append("      - { verbs: [\"*\"], apiGroups: [\"*\"], resources: [\"*\"], namespaces: [kube-system] }\n");
      y.append("  - name: ").append(team).append("-ci\n")
          .append("    subjects: { users: [\"ci-").append(team).append("@robots.example.com\"] }\n")
          .append("    clusters: [ci, \"dev-*\"]\n")
          .append("    impersonate: { groups: [\"kgate:").append(team).append("-ci\"] }\n")
          .append("    rules:\n")
          .append("      - { verbs: [get, list, create, update, patch], apiGroups: [\"\", apps, batch],")
          .append(" resources: [deployments, configmaps, jobs, services], namespaces: [\"").append(team)
          .append("-*\"] }\n");
    }
    for (int p = 0; p < platformRoles; p++) {
      platformRole(y, p, random);
    }
    y.append("  - name: release-managers\n")
        .append("    subjects: { groups: [release] }\n")
        .append("    clusters: [\"prod-*\"]\n")
        .append("    impersonate: { groups: [\"kgate:release\"] }\n")
        .append("    rules:\n")
        .append("      - { verbs: [get, update, patch], apiGroups: [apps], resources: [deployments/scale],")
        .append(" namespaces: [\"*\"] }\n");
    return y.toString();
  }

  private static void platformRole(StringBuilder y, int p, Random random) {
    String name = String.format(Locale.ROOT, "platform-%03d", p);
    String group = switch (p % 10) {
      case 0 -> "system:authenticated";
      default -> "platform-" + (p % 25);
    };
    List<String> users = new ArrayList<>();
    if (random.nextInt(3) == 0) {
      users.add("admin" + random.nextInt(30) + "@example.com");
    }
    y.append("  - name: ").append(name).append('\n')
        .append("    subjects: { groups: [\"").append(group).append("\"], users: ").append(flow(users)).append(" }\n")
        .append("    clusters: ").append(flow(pick(random, CLUSTER_GLOBS, 1, 2))).append('\n')
        .append("    impersonate: { groups: [\"kgate:").append(name).append("\"] }\n")
        .append("    rules:\n");
    switch (p % 5) {
      case 0 -> y.append("      - { verbs: [get, list, watch], resources: [nodes, namespaces], clusterScoped: true }\n")
          .append("      - { verbs: [get], nonResourceURLs: [\"/healthz\", \"/metrics\", \"/logs/*\"] }\n");
      case 1 -> y.append("      - { verbs: [get, list], resources: ").append(flow(pick(random, PLATFORM_RESOURCES, 2, 4)))
          .append(", namespaces: [\"*\"] }\n");
      case 2 -> y.append("      - { verbs: [get, list], resources: [secrets], namespaces: [\"kube-*\", monitoring],")
          .append(" mfa: { required: true, maxAge: 10m, acr: [mfa, \"urn:loa:2\"] } }\n");
      case 3 -> y.append("      - { verbs: [\"*\"], apiGroups: [\"*\"], resources: [\"*\"], namespaces: [\"")
          .append(p % 2 == 0 ? "monitoring" : "ingress-*").append("\"] }\n")
          .append("      - { verbs: [create], resources: [pods/exec], namespaces: [monitoring],")
          .append(" mfa: { required: true } }\n");
      default -> y.append("      - { verbs: [get, list, watch], apiGroups: [\"\", apps, batch], resources: [\"*/status\",")
          .append(" deployments, jobs], resourceNames: [web, api, worker], namespaces: [\"*\"] }\n");
    }
    if (random.nextInt(3) == 0) {
      y.append("    deny:\n")
          .append("      - { verbs: [delete, deletecollection], apiGroups: [\"*\"], resources: [\"*\"],")
          .append(" namespaces: [kube-system, \"*-prod\"] }\n");
    }
  }

  private static List<String> pick(Random random, List<String> from, int min, int max) {
    int count = min + random.nextInt(max - min + 1);
    List<String> picked = new ArrayList<>();
    while (picked.size() < count) {
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

  /** The policy of {@code roles} roles. */
  static Policy load(int roles) {
    try {
      return PolicyLoader.parse(yaml(roles));
    } catch (PolicyException e) {
      throw new IllegalStateException("the generated policy is invalid:\n" + e.getMessage(), e);
    }
  }
}
