package dev.kgate.auth.policy;

import dev.kgate.auth.text.YamlSyntaxErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Loads the policy file ({@code docs/policy.md}) into a {@link Policy}. The YAML is read into a
 * tree and walked by hand so that every mistake is reported in one run with its key path
 * ({@code roles[2].rules[0].verbs[1]: unknown verb "delet"; did you mean "delete"?}). Unknown keys
 * are errors, because in an authorization policy a misspelt key is a rule that silently does
 * something else; so are contradictions (a rule about both resources and URLs, a resource rule
 * that names no namespaces, a role without rules) and forms RBAC cannot express ({@code pods/*}),
 * since the same rules are synced into the clusters' RBAC.
 */
public final class PolicyLoader {

  private static final List<String> TOP_LEVEL_KEYS = List.of("blocked", "discovery", "mfaMethods", "roles");
  private static final List<String> SUBJECT_KEYS = List.of("users", "groups");
  private static final List<String> ROLE_KEYS =
      List.of("name", "description", "subjects", "clusters", "impersonate", "rules", "deny");
  private static final List<String> IMPERSONATE_KEYS = List.of("groups");
  private static final String ALLOW = "allow";
  private static final String DENY = "deny";
  private static final String RESERVED_GROUP_PREFIX = "system:";

  private static final Pattern ROLE_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?");

  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY).build();

  private PolicyLoader() {}

  /** Reads and validates the policy file. */
  public static Policy load(Path file) throws PolicyException {
    Objects.requireNonNull(file, "file");
    Path absolute = file.toAbsolutePath().normalize();
    String yaml;
    try {
      yaml = Files.readString(absolute, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new PolicyException("", "policy file does not exist: " + absolute);
    } catch (IOException e) {
      throw new PolicyException("", "cannot read policy file " + absolute + ": " + e.getMessage());
    }
    return parse(yaml);
  }

  /** Validates policy YAML text. */
  public static Policy parse(String yaml) throws PolicyException {
    Objects.requireNonNull(yaml, "yaml");
    JsonNode tree = readTree(yaml);
    List<PolicyError> errors = new ArrayList<>();
    PolicyNode root = PolicyNode.root(tree, errors);
    if (root.isAbsent()) {
      throw new PolicyException("", "the policy is empty");
    }
    if (!root.mapping(TOP_LEVEL_KEYS, true)) {
      throw new PolicyException(errors);
    }
    Subjects blocked = subjects(root.get("blocked"));
    boolean discovery = discovery(root.get("discovery"));
    List<String> mfaMethods = mfaMethods(root.get("mfaMethods"));
    List<Role> roles = roles(root.get("roles"));
    if (!errors.isEmpty()) {
      throw new PolicyException(errors);
    }
    return new Policy(blocked, discovery, mfaMethods, roles);
  }

  private static boolean discovery(PolicyNode node) {
    String value = node.string();
    if (value == null) {
      return Policy.DEFAULT_DISCOVERY_ALLOWED;
    }
    if (!value.equals(ALLOW) && !value.equals(DENY)) {
      node.error("expected allow or deny, was '" + value + "'");
      return Policy.DEFAULT_DISCOVERY_ALLOWED;
    }
    return value.equals(ALLOW);
  }

  private static List<String> mfaMethods(PolicyNode node) {
    if (node.isAbsent()) {
      return Policy.DEFAULT_MFA_METHODS;
    }
    List<String> methods = node.strings(value -> null);
    if (node.isEmptyList()) {
      node.error("must list at least one amr value (leave it out for the default "
          + String.join(", ", Policy.DEFAULT_MFA_METHODS) + ")");
    }
    return methods;
  }

  private static Subjects subjects(PolicyNode node) {
    if (!node.mapping(SUBJECT_KEYS, false)) {
      return Subjects.NONE;
    }
    return new Subjects(node.get("users").strings(value -> null), node.get("groups").strings(value -> null));
  }

  private static List<Role> roles(PolicyNode node) {
    if (node.isAbsent()) {
      node.error("required (a list of roles; an empty list denies everything)");
      return List.of();
    }
    List<Role> roles = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (PolicyNode element : node.list()) {
      Role role = role(element, seen);
      if (role != null) {
        roles.add(role);
      }
    }
    return roles;
  }

  private static Role role(PolicyNode node, Map<String, String> seen) {
    if (!node.mapping(ROLE_KEYS, true)) {
      return null;
    }
    PolicyNode nameNode = node.get("name");
    String name = nameNode.requiredString();
    if (name != null) {
      if (!ROLE_NAME.matcher(name).matches()) {
        nameNode.error("'" + name + "' is not a role name: lowercase letters, digits, '-' and '.',"
            + " starting and ending with a letter or digit, at most 63 characters");
      } else if (seen.containsKey(name)) {
        nameNode.error("duplicate role name '" + name + "', already used by " + seen.get(name));
      } else {
        seen.put(name, node.path());
      }
    }
    String description = node.get("description").text();
    Subjects subjects = subjects(node.get("subjects"));
    PolicyNode clustersNode = node.get("clusters");
    List<String> clusters =
        clustersNode.strings(value -> RuleParser.labelGlobProblem(value, "a cluster name or glob"));
    if (clustersNode.isAbsent()) {
      clustersNode.error("required: the cluster names or globs the role applies on ('*' for all)");
    } else if (clustersNode.isEmptyList()) {
      clustersNode.error("must list at least one cluster name or glob ('*' for all)");
    }
    List<String> impersonateGroups = List.of();
    PolicyNode impersonate = node.get("impersonate");
    if (impersonate.mapping(IMPERSONATE_KEYS, false)) {
      impersonateGroups = impersonate.get("groups").strings(PolicyLoader::impersonatedGroupProblem);
    }
    PolicyNode rulesNode = node.get("rules");
    List<Rule> rules = RuleParser.rules(rulesNode, true);
    if (rulesNode.listsNothing()) {
      rulesNode.error("a role needs at least one rule");
    }
    List<Rule> deny = RuleParser.rules(node.get("deny"), false);
    if (name == null) {
      return null;
    }
    return new Role(
        name, description == null ? "" : description, subjects, clusters, impersonateGroups, rules, deny);
  }

  private static String impersonatedGroupProblem(String group) {
    if (group.startsWith(RESERVED_GROUP_PREFIX)) {
      return "'" + group + "' is refused: system: groups belong to Kubernetes (system:masters"
          + " bypasses RBAC, system:authenticated is added anyway)";
    }
    return null;
  }

  private static JsonNode readTree(String yaml) throws PolicyException {
    try {
      return YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new PolicyException("", YamlSyntaxErrors.describe(e, "the policy"));
    }
  }
}
