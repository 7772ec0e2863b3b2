package dev.kgate.gateway.config;

import dev.kgate.audit.Level;
import dev.kgate.auth.attributes.Verbs;
import dev.kgate.auth.text.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code audit.levels}: an ordered list of rules, the first match wins, as in the API server's
 * audit {@code Policy}; each names a level and what it matches in the access policy's vocabulary
 * (clusters, verbs, apiGroups, resources, namespaces, users, groups).
 *
 * <p>{@code None} is refused: the gateway audits every request, allowed or refused, and a rule
 * that silenced some of them would turn the audit log into a record of what someone chose to
 * show. The lowest level is therefore {@code Metadata}, which is also what a request no rule
 * matches gets.
 */
final class AuditLevelsSection {

  static final List<String> RULE_KEYS =
      List.of("level", "clusters", "verbs", "apiGroups", "resources", "namespaces", "users", "groups");
  static final List<String> LEVELS =
      List.of(Level.Metadata.name(), Level.Request.name(), Level.RequestResponse.name());
  private static final String WILDCARD = "*";
  /** Streams have no verb of their own: they are subresources, as the policy names them. */
  private static final Set<String> STREAM_WORDS = Set.of("exec", "attach", "portforward", "port-forward", "proxy", "log");
  private static final Pattern LABEL_GLOB = Pattern.compile("[a-z0-9*-]{1,63}");
  private static final Pattern API_GROUP = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
  private static final Pattern RESOURCE =
      Pattern.compile("(\\*|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)?");

  private AuditLevelsSection() {}

  static List<GatewayConfig.LevelRule> parse(ConfigNode node) {
    List<GatewayConfig.LevelRule> rules = new ArrayList<>();
    for (ConfigNode element : node.list()) {
      GatewayConfig.LevelRule rule = rule(element);
      if (rule != null) {
        rules.add(rule);
      }
    }
    return rules;
  }

  private static GatewayConfig.LevelRule rule(ConfigNode node) {
    if (!node.mapping(RULE_KEYS, true)) {
      return null;
    }
    int errorsBefore = node.errorCount();
    Level level = level(node.get("level"));
    List<String> clusters = names(node.get("clusters"), value -> labelGlobProblem(value, "a cluster name or glob"));
    List<String> verbs = names(node.get("verbs"), AuditLevelsSection::verbProblem);
    List<String> apiGroups = apiGroups(node.get("apiGroups"));
    List<String> resources = names(node.get("resources"), AuditLevelsSection::resourceProblem);
    List<String> namespaces = names(node.get("namespaces"), value -> labelGlobProblem(value, "a namespace name or glob"));
    List<String> users = names(node.get("users"), value -> null);
    List<String> groups = names(node.get("groups"), value -> null);
    if (level == null || node.errorCount() > errorsBefore) {
      return null;
    }
    return new GatewayConfig.LevelRule(level, clusters, verbs, apiGroups, resources, namespaces, users, groups);
  }

  private static Level level(ConfigNode node) {
    if (node.isAbsent()) {
      node.error("required; one of " + String.join(", ", LEVELS));
      return null;
    }
    String text = node.string();
    if (text == null) {
      return null;
    }
    if (text.equals(Level.None.name())) {
      node.error("None is not allowed: every request is audited, at least at Metadata");
      return null;
    }
    if (!LEVELS.contains(text)) {
      node.error("must be one of " + String.join(", ", LEVELS) + ", was '" + text + "'"
          + Suggestions.closest(text, LEVELS).map(s -> "; did you mean '" + s + "'?").orElse(""));
      return null;
    }
    return Level.valueOf(text);
  }

  /** A list of strings checked one by one; an explicit empty list is a mistake (leave it out for any). */
  private static List<String> names(ConfigNode node, Function<String, String> problem) {
    if (node.isEmptyList()) {
      node.error("must not be empty; leave the key out to match any");
      return List.of();
    }
    List<String> values = new ArrayList<>();
    for (ConfigNode element : node.list()) {
      String value = element.string();
      if (value == null) {
        if (element.isAbsent()) {
          element.error("must not be empty");
        }
        continue;
      }
      String complaint = problem.apply(value);
      if (complaint != null) {
        element.error(complaint);
      } else {
        values.add(value);
      }
    }
    return List.copyOf(new LinkedHashSet<>(values));
  }

  private static List<String> apiGroups(ConfigNode node) {
    if (node.isEmptyList()) {
      node.error("must not be empty; leave the key out to match any group");
      return List.of();
    }
    List<String> groups = new ArrayList<>();
    for (ConfigNode element : node.list()) {
      String group = element.stringAllowingEmpty(null);
      if (group == null) {
        element.error("expected an API group; write \"\" for the core group");
      } else if (!group.isEmpty() && !group.equals(WILDCARD) && !API_GROUP.matcher(group).matches()) {
        element.error("'" + group + "' is not an API group; expected \"\" (core), a group such as apps, or '*'");
      } else {
        groups.add(group);
      }
    }
    return List.copyOf(new LinkedHashSet<>(groups));
  }

  private static String verbProblem(String verb) {
    if (verb.equals(WILDCARD) || Verbs.RESOURCE_VERBS.contains(verb) || Verbs.NON_RESOURCE_VERBS.contains(verb)) {
      return null;
    }
    if (STREAM_WORDS.contains(verb)) {
      String subresource = verb.equals("port-forward") ? "portforward" : verb;
      return "\"" + verb + "\" is not a verb; match it by its subresource, e.g. resources: [pods/" + subresource + "]";
    }
    List<String> known = new ArrayList<>(Verbs.RESOURCE_VERBS);
    return "unknown verb \"" + verb + "\""
        + Suggestions.closest(verb, known)
            .map(suggestion -> "; did you mean \"" + suggestion + "\"?")
            .orElseGet(() -> "; expected one of " + String.join(", ", known) + " or '*'");
  }

  private static String resourceProblem(String resource) {
    if (RESOURCE.matcher(resource).matches() && !resource.endsWith("/*")) {
      return null;
    }
    return "'" + resource + "' is not a resource; expected a lowercase plural as the policy names them:"
        + " configmaps, pods/exec, */scale or '*'";
  }

  private static String labelGlobProblem(String value, String what) {
    if (LABEL_GLOB.matcher(value).matches()) {
      return null;
    }
    return "'" + value + "' is not " + what + " (lowercase letters, digits and '-', with '*' as wildcard)";
  }
}
