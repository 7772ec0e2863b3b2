package dev.kgate.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kgate.cli.CapturedRun;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: for generated people and requests, {@code kgate policy can-i} says yes exactly when a
 * real gateway enforcing the same policy file forwards the request to the cluster. A person is a
 * user, groups, and a login (a second factor or not, how long ago, an {@code acr} or not); the
 * gateway sees them as a token of the built-in IdP with those claims ({@code amr: [pwd, otp]} for
 * a second factor, {@code auth_time}), can-i as {@code --user --group --mfa --auth-age --acr}. A
 * request is a verb on pods, pods/exec, pods/log, secrets, deployments.apps, nodes, configmaps or
 * a URL path, in a namespace or cluster-wide, named or not; it becomes the HTTP method and path
 * kubectl would send, and the words {@code kubectl auth can-i} takes.
 *
 * <ul>
 *   <li>"forwarded" means the simulated cluster received the request; "refused" means the gateway
 *       answered 401 or 403 with a Status (plain text for discovery paths, as client-go wants)
 *       and nothing reached any cluster. Anything else fails.
 *   <li>can-i yes ⇔ forwarded; and then the {@code Impersonate-Group} lines the cluster received
 *       are can-i's groups plus {@code system:authenticated}.
 *   <li>can-i no with a step-up ⇔ the gateway's 401; can-i no with a denial ⇔ its 403.
 *   <li>A cluster the gateway does not serve ({@value #UNKNOWN_CLUSTER}) is always refused with
 *       403, whatever can-i says: can-i reads the policy file only and does not know which
 *       clusters the gateway serves, so for a role with {@code clusters: ["*"]} it says yes.
 * </ul>
 *
 * <p>A property library was not used: jqwik 1.10 is built on JUnit Platform 1 (this build runs
 * Platform 6) and its authors ask that it not be used with AI coding agents. Instead the cases are
 * drawn from one seed, printed at the start and in every failure; rerun a failure with
 * {@code -Dkgate.property.seed=<seed>} (and {@code -Dkgate.property.cases=<n>} for more cases).
 */
class CanIAgreesWithGatewayPropertyTest {

  static final String UNKNOWN_CLUSTER = "prod-us";
  private static final List<String> CLUSTERS = List.of("prod-eu", "dev-eu", "staging");
  private static final int DEFAULT_CASES = 400;

  static final String POLICY = """
      blocked: { users: [mallory@example.com], groups: [offboarded] }
      mfaMethods: [otp, hwk]
      roles:
        - name: sre
          subjects: { groups: [sre] }
          clusters: ["prod-*", staging]
          impersonate: { groups: ["kgate:sre"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: [payments, "team-*"], mfa: { required: true, maxAge: 10m } }
            - { verbs: [update, patch, delete], apiGroups: [apps], resources: [deployments], namespaces: ["*"],
                mfa: { required: true, acr: mfa } }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: [kube-system] }
        - name: dev
          subjects: { groups: [dev], users: [dana@example.com] }
          clusters: ["dev-*", staging]
          impersonate: { groups: ["kgate:dev"] }
          rules:
            - { verbs: [get, list, watch], apiGroups: ["", apps], resources: [pods, pods/log, deployments, configmaps],
                namespaces: ["team-*", default] }
            - { verbs: ["*"], apiGroups: ["", apps], resources: [deployments, configmaps], namespaces: ["team-*"] }
            - { verbs: [create], resources: [pods/exec], namespaces: ["team-*"] }
          deny:
            - { verbs: [delete, deletecollection], apiGroups: ["*"], resources: ["*"], namespaces: [team-payments] }
        - name: secret-readers
          subjects: { groups: [security] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:security"] }
          rules:
            - { verbs: [get], resources: [secrets], resourceNames: [db-password, api-key], namespaces: ["*"],
                mfa: { required: true, maxAge: 1h } }
            - { verbs: [list, watch], resources: [secrets], namespaces: [payments] }
        - name: node-viewers
          subjects: { groups: [platform, sre] }
          clusters: ["*"]
          impersonate: { groups: ["kgate:nodes"] }
          rules:
            - { verbs: [get, list, watch], resources: [nodes], clusterScoped: true }
            - { verbs: [get], nonResourceURLs: ["/metrics", "/logs/*"] }
        - name: everyone
          subjects: { groups: ["system:authenticated"] }
          clusters: [dev-eu]
          rules:
            - { verbs: [get, list], resources: [configmaps], namespaces: [default] }
        - name: auditor
          subjects: { users: [ada@example.com] }
          clusters: [prod-eu]
          impersonate: { groups: ["kgate:audit"] }
          rules:
            - { verbs: [get, list], apiGroups: ["*"], resources: ["*"], namespaces: ["*"] }
          deny:
            - { verbs: ["*"], resources: [secrets], namespaces: ["*"] }
      """;

  private static final List<String> USERS = List.of("alice@example.com", "bob@example.com", "dana@example.com",
      "ada@example.com", "sam@example.com", "pat@example.com", "mallory@example.com", "nobody@example.com");
  private static final List<String> GROUPS = List.of("sre", "dev", "security", "platform", "interns");
  private static final List<String> NAMESPACES =
      List.of("payments", "payments", "team-a", "team-a", "team-payments", "default", "kube-system");
  private static final List<String> NAMES = List.of("web", "db-password", "api-key", "app");
  // Repeats weight the draw towards what the policy's step-up and deny rules are about.
  private static final List<String> RESOURCES = List.of("pods", "pods/exec", "pods/exec", "pods/log", "secrets",
      "secrets", "deployments.apps", "deployments.apps", "nodes", "configmaps");
  private static final List<String> VERBS =
      List.of("get", "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection");
  private static final List<String> URL_PATHS =
      List.of("/api", "/apis", "/apis/apps/v1", "/version", "/healthz", "/metrics", "/logs/kubelet.log");
  private static final List<String> AUTH_AGES = List.of("1m", "30m", "3h");

  @TempDir static Path dir;
  static GatewayUnderPolicy world;

  @BeforeAll
  static void start() throws Exception {
    world = GatewayUnderPolicy.start(dir, POLICY, CLUSTERS);
  }

  @AfterAll
  static void stop() {
    if (world != null) {
      world.close();
    }
  }

  /** A person and the request they make, as both the gateway and can-i are given it. */
  record Case(int index, long seed, String user, List<String> groups, boolean mfa, String authAge, String acr,
      String cluster, String verb, String resource, String namespace, String name,
      String method, String pathAndQuery, String contentType, String body, boolean stream) {

    List<String> canIArguments(Path policy) {
      List<String> args = new ArrayList<>(List.of("policy", "can-i", "--policy", policy.toString(),
          "--cluster", cluster, "--user", user));
      for (String group : groups) {
        args.add("--group");
        args.add(group);
      }
      if (mfa) {
        args.add("--mfa");
      }
      args.add("--auth-age");
      args.add(authAge);
      if (acr != null) {
        args.add("--acr");
        args.add(acr);
      }
      args.add(verb);
      args.add(resource);
      if (name != null) {
        args.add(name);
      }
      if (namespace != null) {
        args.add("-n");
        args.add(namespace);
      }
      return args;
    }

    @Override
    public String toString() {
      return "case " + index + " (seed " + seed + "): " + user + " " + groups + (mfa ? " mfa" : "")
          + " login " + authAge + " ago" + (acr == null ? "" : " acr " + acr) + " on " + cluster + ": "
          + method + " " + pathAndQuery + "  ⇔  can-i " + verb + " " + resource
          + (name == null ? "" : " " + name) + (namespace == null ? "" : " -n " + namespace);
    }
  }

  @TestFactory
  Stream<DynamicTest> canIAndTheGatewayDecideAlike() {
    long seed = Long.getLong("kgate.property.seed", new Random().nextLong());
    int cases = Integer.getInteger("kgate.property.cases", DEFAULT_CASES);
    System.out.println("CanIAgreesWithGatewayPropertyTest: seed " + seed + ", " + cases
        + " cases (rerun with -Dkgate.property.seed=" + seed + ")");
    Random random = new Random(seed);
    Map<String, AtomicInteger> outcomes = new TreeMap<>();
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      Case generated = generate(random, i, seed);
      tests.add(DynamicTest.dynamicTest(generated.toString(), () -> check(generated, outcomes)));
    }
    // Agreement only means something if every kind of answer came up.
    tests.add(DynamicTest.dynamicTest("every kind of answer came up (seed " + seed + ")", () -> {
      System.out.println("CanIAgreesWithGatewayPropertyTest: seed " + seed + ", outcomes " + outcomes);
      assertThat(outcomes).as("outcomes with seed %d", seed)
          .containsKeys("forwarded", "step-up (401)", "denied (403)", "unknown cluster (403)");
    }));
    return tests.stream();
  }

  private static void check(Case c, Map<String, AtomicInteger> outcomes) throws Exception {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("email", c.user());
    claims.put("email_verified", true);
    claims.put("groups", c.groups());
    claims.put("amr", c.mfa() ? List.of("pwd", "otp") : List.of("pwd"));
    if (c.acr() != null) {
      claims.put("acr", c.acr());
    }
    claims.put("auth_time", Instant.now().minus(age(c.authAge())).getEpochSecond());
    String token = world.token(c.user(), claims);

    GatewayUnderPolicy.Outcome gateway =
        world.send(token, c.cluster(), c.method(), c.pathAndQuery(), c.contentType(), c.body(), c.stream());
    CapturedRun canI = CapturedRun.of(c.canIArguments(world.policyFile).toArray(String[]::new));

    String context = c + "\n  can-i printed (exit " + canI.exitCode() + "):\n" + canI.out() + canI.err()
        + "\n  gateway answered " + gateway.status() + " " + gateway.body()
        + "\n  the cluster received " + gateway.upstream().size() + " request(s)";
    assertThat(canI.exitCode()).as("can-i answers yes (0) or no (1)\n%s", context).isIn(0, 1);
    boolean yes = canI.exitCode() == 0;
    if (!gateway.forwarded()) {
      assertThat(gateway.status()).as("a request the gateway refuses is answered 401 or 403\n%s", context)
          .isIn(401, 403);
      if (!c.resource().startsWith("/")) {
        // (discovery reads get the message as text/plain, which is what client-go shows)
        assertThat(gateway.body()).as("the refusal is a Kubernetes Status\n%s", context)
            .contains("\"kind\":\"Status\"");
      }
    }
    if (!CLUSTERS.contains(c.cluster())) {
      assertThat(gateway.forwarded()).as("a cluster the gateway does not serve is refused\n%s", context).isFalse();
      assertThat(gateway.status()).as(context).isEqualTo(403);
      assertThat(gateway.body()).as(context).contains("may not use cluster");
      count(outcomes, "unknown cluster (403)");
      return;
    }
    assertThat(yes).as("can-i says yes exactly when the gateway forwards the request\n%s", context)
        .isEqualTo(gateway.forwarded());
    if (yes) {
      assertThat(gateway.upstream()).as(context).hasSize(1);
      List<String> groups = new ArrayList<>(impersonatedGroups(canI.out()));
      groups.add("system:authenticated");
      assertThat(gateway.upstream().get(0).headers("Impersonate-User")).as(context).containsExactly(c.user());
      assertThat(gateway.upstream().get(0).headers("Impersonate-Group"))
          .as("the cluster sees the groups can-i names\n%s", context).containsExactlyElementsOf(groups);
      count(outcomes, "forwarded");
    } else {
      boolean stepUp = canI.out().lines().anyMatch(line -> line.startsWith("step-up:"));
      assertThat(gateway.status()).as("a step-up is 401, a denial 403\n%s", context).isEqualTo(stepUp ? 401 : 403);
      count(outcomes, stepUp ? "step-up (401)" : "denied (403)");
    }
  }

  private static void count(Map<String, AtomicInteger> outcomes, String outcome) {
    synchronized (outcomes) {
      outcomes.computeIfAbsent(outcome, key -> new AtomicInteger()).incrementAndGet();
    }
  }

  /** The groups of can-i's "impersonate: user U, groups a, b" line ("…, no groups" for none). */
  private static List<String> impersonatedGroups(String out) {
    String line = out.lines().filter(l -> l.startsWith("impersonate: ")).findFirst()
        .orElseThrow(() -> new AssertionError("can-i printed no impersonate line:\n" + out));
    int at = line.indexOf(", groups ");
    if (at < 0) {
      return List.of();
    }
    return List.of(line.substring(at + ", groups ".length()).split(", "));
  }

  private static Duration age(String text) {
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> throw new IllegalArgumentException(text);
    };
  }

  // ---- generation ----

  static Case generate(Random random, int index, long seed) {
    String user = pick(random, USERS);
    List<String> groups = new ArrayList<>();
    for (String group : GROUPS) {
      if (random.nextInt(5) < 2) {
        groups.add(group);
      }
    }
    if (random.nextInt(25) == 0) {
      groups.add("offboarded");
    }
    boolean mfa = random.nextBoolean();
    String authAge = pick(random, AUTH_AGES);
    String acr = random.nextInt(3) == 0 ? "mfa" : null;
    String cluster = random.nextInt(12) == 0 ? UNKNOWN_CLUSTER : pick(random, CLUSTERS);
    if (random.nextInt(10) == 0) {
      String path = pick(random, URL_PATHS);
      String method = random.nextInt(5) == 0 ? "POST" : "GET";
      return new Case(index, seed, user, groups, mfa, authAge, acr, cluster, method.toLowerCase(Locale.ROOT),
          path, null, null, method, path, method.equals("POST") ? "application/json" : null,
          method.equals("POST") ? "{}" : null, false);
    }
    String resource = pick(random, RESOURCES);
    return switch (resource) {
      case "pods/exec" -> {
        // kubectl exec: POST (SPDY) or GET (WebSocket); the gateway and can-i both take it as create
        boolean post = random.nextBoolean();
        String ns = pick(random, NAMESPACES);
        String name = pick(random, NAMES);
        yield new Case(index, seed, user, groups, mfa, authAge, acr, cluster, post ? "create" : "get", resource, ns,
            name, post ? "POST" : "GET",
            "/api/v1/namespaces/" + ns + "/pods/" + name + "/exec?command=date&stdout=true", null, null, false);
      }
      case "pods/log" -> {
        String ns = pick(random, NAMESPACES);
        String name = pick(random, NAMES);
        yield new Case(index, seed, user, groups, mfa, authAge, acr, cluster, "get", resource, ns, name, "GET",
            "/api/v1/namespaces/" + ns + "/pods/" + name + "/log", null, null, false);
      }
      default -> resourceRequest(random, index, seed, user, groups, mfa, authAge, acr, cluster, resource);
    };
  }

  private static Case resourceRequest(Random random, int index, long seed, String user, List<String> groups,
      boolean mfa, String authAge, String acr, String cluster, String resource) {
    String verb = pick(random, VERBS);
    boolean clusterScoped = resource.equals("nodes");
    String base = resource.endsWith(".apps") ? "/apis/apps/v1" : "/api/v1";
    String plural = resource.endsWith(".apps") ? resource.substring(0, resource.indexOf('.')) : resource;
    boolean collectionVerb = verb.equals("list") || verb.equals("watch") || verb.equals("deletecollection");
    String ns = clusterScoped || (collectionVerb && random.nextInt(4) == 0) ? null : pick(random, NAMESPACES);
    String name = switch (verb) {
      case "get", "update", "patch", "delete" -> pick(random, NAMES);
      case "list", "watch" -> random.nextInt(4) == 0 ? pick(random, NAMES) : null;
      default -> null; // create and deletecollection name no object
    };
    String collection = base + (ns == null ? "" : "/namespaces/" + ns) + "/" + plural;
    String object = name == null ? collection : collection + "/" + name;
    String kind = switch (plural) {
      case "pods" -> "Pod";
      case "secrets" -> "Secret";
      case "configmaps" -> "ConfigMap";
      case "nodes" -> "Node";
      default -> "Deployment";
    };
    String manifest = "{\"apiVersion\":\"" + (base.equals("/api/v1") ? "v1" : "apps/v1") + "\",\"kind\":\"" + kind
        + "\",\"metadata\":{\"name\":\"" + (name == null ? "kgate-property-" + index : name) + "\"}}";
    String selector = name == null ? "" : "fieldSelector=metadata.name%3D" + name;
    return switch (verb) {
      case "get" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "GET", object, null, null, false);
      case "list" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "GET", collection + (selector.isEmpty() ? "" : "?" + selector), null, null, false);
      case "watch" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "GET", collection + "?watch=true&timeoutSeconds=1" + (selector.isEmpty() ? "" : "&" + selector),
          null, null, true);
      case "create" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "POST", collection, "application/json", manifest, false);
      case "update" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "PUT", object, "application/json", manifest, false);
      case "patch" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "PATCH", object, "application/merge-patch+json", "{\"metadata\":{\"labels\":{\"kgate\":\"property\"}}}",
          false);
      case "delete" -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "DELETE", object, null, null, false);
      default -> new Case(index, seed, user, groups, mfa, authAge, acr, cluster, verb, resource, ns, name,
          "DELETE", collection, null, null, false);
    };
  }

  private static <T> T pick(Random random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
