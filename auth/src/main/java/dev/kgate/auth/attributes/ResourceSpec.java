package dev.kgate.auth.attributes;

import java.util.Locale;
import java.util.Set;

/**
 * Builds request attributes from the words a person types, as {@code kubectl auth can-i} takes
 * them: a verb and {@code pods}, {@code deployments.apps}, {@code pods/exec},
 * {@code deployments.apps/scale}, or a URL path such as {@code /metrics}. Used by
 * {@code kgate policy can-i} and {@code who-can}, so that they ask the policy exactly what the
 * gateway would: {@code exec}, {@code attach} and {@code portforward} become {@code create} here
 * too. The version is left empty: policies do not name versions.
 */
public final class ResourceSpec {

  private static final Set<String> CREATE_SUBRESOURCES = Set.of("exec", "attach", "portforward");

  private ResourceSpec() {}

  /**
   * The attributes for {@code verb} on {@code spec}, or {@link Refused} saying what is malformed.
   *
   * @param namespace null or empty for cluster-wide
   * @param name      null or empty for none
   */
  public static Resolution resolve(String verb, String spec, String namespace, String name) {
    String ns = namespace == null ? "" : namespace;
    String objectName = name == null ? "" : name;
    if (verb == null || verb.isBlank()) {
      return new Refused("a verb is required");
    }
    if (spec == null || spec.isBlank()) {
      return new Refused("a resource or URL path is required");
    }
    if (spec.startsWith("/")) {
      if (!ns.isEmpty() || !objectName.isEmpty()) {
        return new Refused("a URL path takes no namespace or name");
      }
      return new RequestAttributes.NonResource(verb.toLowerCase(Locale.ROOT), spec);
    }
    String resourcePart = spec;
    String subresource = "";
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      resourcePart = spec.substring(0, slash);
      subresource = spec.substring(slash + 1);
      if (subresource.isEmpty() || subresource.indexOf('/') >= 0) {
        return new Refused("expected RESOURCE[.GROUP][/SUBRESOURCE], got '" + spec + "'");
      }
    }
    String resource = resourcePart;
    String group = "";
    int dot = resourcePart.indexOf('.');
    if (dot >= 0) {
      resource = resourcePart.substring(0, dot);
      group = resourcePart.substring(dot + 1);
    }
    if (resource.isEmpty() || (dot >= 0 && group.isEmpty())) {
      return new Refused("expected RESOURCE[.GROUP][/SUBRESOURCE], got '" + spec + "'");
    }
    String effectiveVerb = CREATE_SUBRESOURCES.contains(subresource) ? Verbs.CREATE : verb;
    return new RequestAttributes.Resource(effectiveVerb, group, "", resource, subresource, ns, objectName);
  }
}
