package dev.kgate.gateway.audit;

import dev.kgate.audit.Level;
import dev.kgate.audit.ObjectReference;
import dev.kgate.audit.redact.BodyRedaction;
import dev.kgate.auth.Identity;
import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.policy.NameGlob;
import dev.kgate.gateway.authz.Authorization;
import dev.kgate.gateway.config.GatewayConfig;
import dev.kgate.gateway.forward.BodyCapture;
import dev.kgate.gateway.forward.ExchangeBodies;
import dev.kgate.gateway.route.ClusterRequest;
import java.util.List;
import java.util.Objects;

/**
 * {@code audit.levels}: the level each forwarded request is recorded at, from the first rule that
 * matches it ({@code Metadata} when none does), and so which of its bodies the forwarder copies.
 * Matching reads only what the authorization stage already derived (cluster, request attributes,
 * the person), so it is a few comparisons on the event loop.
 *
 * <p>Long-running requests (watch, {@code logs -f}, exec, attach, port-forward) keep their level
 * but get no body: their content is a stream, not an object, and the API server leaves it out of
 * its own audit events too (exec and attach have session recordings instead). Bodies of requests
 * that are never written ({@link BodyRedaction#neverWritten}) are not even copied.
 */
public final class AuditLevels implements BodyCapture {

  /** No rules: every request at {@code Metadata}. */
  public static final AuditLevels METADATA_ONLY = new AuditLevels(List.of(), 0);

  private final List<Compiled> rules;
  private final int maxBodyBytes;

  public AuditLevels(List<GatewayConfig.LevelRule> rules, int maxBodyBytes) {
    this.rules = rules.stream().map(Compiled::new).toList();
    this.maxBodyBytes = maxBodyBytes;
  }

  /** The levels an audit configuration asks for. */
  public static AuditLevels of(GatewayConfig.Audit audit) {
    return new AuditLevels(audit.levels(), audit.maxBodyBytes());
  }

  /**
   * The level of a request and the index of the rule that set it (-1 for the default).
   */
  public record Choice(Level level, int rule) {
    static final Choice DEFAULT = new Choice(Level.Metadata, -1);
  }

  /** The level {@code request} is recorded at. */
  public Choice levelOf(ClusterRequest request) {
    Authorization authorization = request.authorization();
    return levelOf(request.cluster(), request.request().identity(),
        authorization == null ? null : authorization.attributes());
  }

  /** The level of a request by {@code person} on {@code cluster}; {@code attributes} may be null. */
  public Choice levelOf(String cluster, Identity person, RequestAttributes attributes) {
    for (int i = 0; i < rules.size(); i++) {
      Compiled rule = rules.get(i);
      if (rule.matches(cluster, person, attributes)) {
        return new Choice(rule.level, i);
      }
    }
    return Choice.DEFAULT;
  }

  @Override
  public ExchangeBodies start(ClusterRequest request) {
    Level level = levelOf(request).level();
    if (!level.recordsRequest() || request.longRunning()) {
      return ExchangeBodies.NONE;
    }
    ObjectReference ref = AuditEvents.objectRef(request);
    int limit = BodyRedaction.neverWritten(ref) ? 0 : maxBodyBytes;
    return ExchangeBodies.copying(true, level.recordsResponse(), limit);
  }

  /** One rule with its patterns parsed once. */
  private static final class Compiled {
    private final Level level;
    private final List<NameGlob> clusters;
    private final List<String> verbs;
    private final List<String> apiGroups;
    private final List<String> resources;
    private final List<NameGlob> namespaces;
    private final List<NameGlob> users;
    private final List<NameGlob> groups;

    Compiled(GatewayConfig.LevelRule rule) {
      this.level = rule.level();
      this.clusters = globs(rule.clusters());
      this.verbs = rule.verbs();
      this.apiGroups = rule.apiGroups();
      this.resources = rule.resources();
      this.namespaces = globs(rule.namespaces());
      this.users = globs(rule.users());
      this.groups = globs(rule.groups());
    }

    boolean matches(String cluster, Identity person, RequestAttributes attributes) {
      if (!clusters.isEmpty() && !anyMatches(clusters, cluster)) {
        return false;
      }
      if (!users.isEmpty() && (person == null || !anyMatches(users, person.username()))) {
        return false;
      }
      if (!groups.isEmpty() && (person == null || person.groups().stream().noneMatch(g -> anyMatches(groups, g)))) {
        return false;
      }
      if (!verbs.isEmpty() && (attributes == null || !(verbs.contains("*") || verbs.contains(attributes.verb())))) {
        return false;
      }
      boolean aboutResources = !apiGroups.isEmpty() || !resources.isEmpty() || !namespaces.isEmpty();
      if (!aboutResources) {
        return true;
      }
      if (!(attributes instanceof RequestAttributes.Resource resource)) {
        return false;
      }
      return (apiGroups.isEmpty() || apiGroups.contains("*") || apiGroups.contains(resource.apiGroup()))
          && (resources.isEmpty() || resourceMatches(resource))
          && (namespaces.isEmpty() || namespaceMatches(resource.namespace()));
    }

    /** As RBAC: {@code *} any resource or subresource, {@code *}{@code /x} any resource's x. */
    private boolean resourceMatches(RequestAttributes.Resource resource) {
      String combined = resource.combinedResource();
      for (String pattern : resources) {
        if (pattern.equals("*") || pattern.equals(combined)
            || (pattern.startsWith("*/") && !resource.subresource().isEmpty()
                && pattern.substring(2).equals(resource.subresource()))) {
          return true;
        }
      }
      return false;
    }

    /** As the access policy: {@code *} also covers cluster-wide requests, a name only its namespace. */
    private boolean namespaceMatches(String namespace) {
      if (namespace.isEmpty()) {
        return namespaces.stream().anyMatch(NameGlob::matchesEverything);
      }
      return anyMatches(namespaces, namespace);
    }

    private static boolean anyMatches(List<NameGlob> globs, String name) {
      Objects.requireNonNull(name, "name");
      for (NameGlob glob : globs) {
        if (glob.matches(name)) {
          return true;
        }
      }
      return false;
    }

    private static List<NameGlob> globs(List<String> patterns) {
      return patterns.stream().map(NameGlob::of).toList();
    }
  }
}
