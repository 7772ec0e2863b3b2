package dev.kgate.auth.policy;

import dev.kgate.auth.stepup.LoginStrength;
import java.util.List;
import java.util.Objects;

/**
 * One allow or deny rule of a role, in RBAC's vocabulary so that {@code kgate rbac sync} can write
 * it into a cluster. A rule is either about resources (verbs, apiGroups, resources, resourceNames,
 * namespaces or clusterScoped) or about non-resource URLs (verbs, nonResourceURLs), never both;
 * {@link PolicyLoader} enforces that. Matching follows RBAC: {@code *} matches everything in its
 * field, {@code *}{@code /scale} any resource's scale subresource, an empty {@code resourceNames} any name,
 * a trailing {@code *} in a URL a prefix; namespaces may be globs ({@code dev-*}).
 *
 * @param verbs           Kubernetes verbs (resource rules) or lowercase HTTP methods (URL rules), or {@code *}
 * @param apiGroups       API groups; {@code ""} is the core group (the default), {@code *} any
 * @param resources       {@code pods}, {@code pods/exec}, {@code *}, {@code *}{@code /status}
 * @param resourceNames   exact object names; empty for any
 * @param namespaces      namespace names and globs; {@code *} also covers cluster-wide requests
 * @param clusterScoped   whether the rule covers requests without a namespace (cluster-scoped
 *                        resources, and collections across all namespaces)
 * @param nonResourceURLs paths, exact or ending in {@code *}
 * @param login           the login strength the rule demands ({@link LoginStrength#NONE} for deny rules)
 */
public record Rule(
    List<String> verbs,
    List<String> apiGroups,
    List<String> resources,
    List<String> resourceNames,
    List<String> namespaces,
    boolean clusterScoped,
    List<String> nonResourceURLs,
    LoginStrength login) {

  public Rule {
    verbs = List.copyOf(verbs);
    apiGroups = List.copyOf(apiGroups);
    resources = List.copyOf(resources);
    resourceNames = List.copyOf(resourceNames);
    namespaces = List.copyOf(namespaces);
    nonResourceURLs = List.copyOf(nonResourceURLs);
    Objects.requireNonNull(login, "login");
  }

  /** Whether this is a rule about non-resource URLs. */
  public boolean isNonResource() {
    return !nonResourceURLs.isEmpty();
  }
}
