package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.stepup.LoginStrength;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A deliberately naive evaluator of the policy model, written from docs/policy.md and not from
 * {@link PolicyEngine}: no indexes, no compiled rules, globs as regular expressions, every role
 * scanned for every request. The property test holds the engine to it.
 */
final class ReferenceEvaluator {

  private final Policy policy;

  ReferenceEvaluator(Policy policy) {
    this.policy = policy;
  }

  Decision decide(Subject subject, String cluster, RequestAttributes request, Instant now) {
    Set<String> groups = new HashSet<>(subject.groups());
    groups.add("system:authenticated");
    boolean blocked = policy.blocked().users().contains(subject.username());
    for (String group : groups) {
      blocked |= policy.blocked().groups().contains(group);
    }
    if (blocked) {
      return new Decision.Denied(Decision.Denied.Reason.BLOCKED, "your access has been suspended; contact your platform team", "");
    }
    List<Role> held = new ArrayList<>();
    for (Role role : policy.roles()) {
      boolean holds = role.subjects().users().contains(subject.username());
      for (String group : role.subjects().groups()) {
        holds |= groups.contains(group);
      }
      boolean onCluster = false;
      for (String pattern : role.clusters()) {
        onCluster |= glob(pattern, cluster);
      }
      if (holds && onCluster) {
        held.add(role);
      }
    }
    if (held.isEmpty()) {
      return new Decision.Denied(Decision.Denied.Reason.NO_ACCESS_TO_CLUSTER, "you have no access to cluster " + cluster, "");
    }
    for (Role role : held) {
      for (Rule rule : role.deny()) {
        if (matches(rule, request)) {
          return new Decision.Denied(Decision.Denied.Reason.DENY_RULE, mayNot(request, cluster), "");
        }
      }
    }
    String allowedRole = null;
    int allowedRule = -1;
    LoginStrength allowedLogin = null;
    Set<String> impersonated = new LinkedHashSet<>();
    String stepUpRole = null;
    int stepUpRule = -1;
    LoginStrength stepUpLogin = null;
    for (Role role : held) {
      for (int i = 0; i < role.rules().size(); i++) {
        Rule rule = role.rules().get(i);
        if (!matches(rule, request)) {
          continue;
        }
        if (meets(subject, rule.login(), now)) {
          if (allowedRole == null) {
            allowedRole = role.name();
            allowedRule = i;
            allowedLogin = rule.login();
          }
          impersonated.addAll(role.impersonateGroups());
          break;
        }
        if (stepUpRole == null) {
          stepUpRole = role.name();
          stepUpRule = i;
          stepUpLogin = rule.login();
        }
      }
    }
    if (allowedRole != null) {
      return new Decision.Allowed(allowedRole, allowedRule, List.copyOf(impersonated), allowedLogin);
    }
    if (policy.discoveryAllowed() && isDiscovery(request)) {
      Set<String> all = new LinkedHashSet<>();
      held.forEach(role -> all.addAll(role.impersonateGroups()));
      return new Decision.Allowed(held.get(0).name(), -1, List.copyOf(all), LoginStrength.NONE);
    }
    if (stepUpRole != null) {
      return new Decision.StepUpRequired(stepUpRole, stepUpRule, stepUpLogin);
    }
    return new Decision.Denied(Decision.Denied.Reason.NOT_ALLOWED, mayNot(request, cluster), "");
  }

  private boolean meets(Subject subject, LoginStrength login, Instant now) {
    if (login.mfa()) {
      boolean any = false;
      for (String method : subject.amr()) {
        any |= policy.mfaMethods().contains(method);
      }
      if (!any) {
        return false;
      }
    }
    if (login.maxAge() != null) {
      if (subject.authTime() == null) {
        return false;
      }
      if (Duration.between(subject.authTime(), now).compareTo(login.maxAge()) > 0) {
        return false;
      }
    }
    if (!login.acrAny().isEmpty()) {
      return subject.acr() != null && login.acrAny().contains(subject.acr());
    }
    return true;
  }

  static boolean matches(Rule rule, RequestAttributes request) {
    if (request instanceof RequestAttributes.NonResource) {
      RequestAttributes.NonResource url = (RequestAttributes.NonResource) request;
      if (!rule.isNonResource() || !(rule.verbs().contains("*") || rule.verbs().contains(url.verb()))) {
        return false;
      }
      for (String pattern : rule.nonResourceURLs()) {
        if (pattern.equals("*") || pattern.equals(url.path())
            || (pattern.endsWith("*") && url.path().startsWith(pattern.substring(0, pattern.length() - 1)))) {
          return true;
        }
      }
      return false;
    }
    RequestAttributes.Resource r = (RequestAttributes.Resource) request;
    if (rule.isNonResource()) {
      return false;
    }
    boolean verb = rule.verbs().contains("*") || rule.verbs().contains(r.verb());
    boolean group = rule.apiGroups().contains("*") || rule.apiGroups().contains(r.apiGroup());
    String combined = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
    boolean resource = rule.resources().contains("*") || rule.resources().contains(combined)
        || (!r.subresource().isEmpty() && rule.resources().contains("*/" + r.subresource()));
    boolean name = rule.resourceNames().isEmpty() || rule.resourceNames().contains(r.name());
    boolean namespace;
    if (r.namespace().isEmpty()) {
      namespace = rule.clusterScoped() || rule.namespaces().contains("*");
    } else {
      namespace = false;
      for (String pattern : rule.namespaces()) {
        namespace |= glob(pattern, r.namespace());
      }
    }
    return verb && group && resource && name && namespace;
  }

  static boolean isDiscovery(RequestAttributes request) {
    if (!(request instanceof RequestAttributes.NonResource) || !request.verb().equals("get")) {
      return false;
    }
    String path = ((RequestAttributes.NonResource) request).path();
    return List.of("/api", "/apis", "/openapi", "/version", "/version/", "/healthz", "/livez", "/readyz").contains(path)
        || path.startsWith("/api/") || path.startsWith("/apis/") || path.startsWith("/openapi/");
  }

  static String mayNot(RequestAttributes request, String cluster) {
    if (request instanceof RequestAttributes.NonResource) {
      return "you may not " + request.verb() + " " + ((RequestAttributes.NonResource) request).path() + " on cluster " + cluster;
    }
    RequestAttributes.Resource r = (RequestAttributes.Resource) request;
    String what = r.subresource().isEmpty() ? r.resource() : r.resource() + "/" + r.subresource();
    String where = r.namespace().isEmpty() ? "cluster-wide" : "in namespace " + r.namespace();
    return "you may not " + r.verb() + " " + what + " " + where + " on cluster " + cluster;
  }

  /** Globs as regular expressions, compiled once each (the naive part is the scanning, not this). */
  static boolean glob(String pattern, String name) {
    return GLOBS.computeIfAbsent(pattern, ReferenceEvaluator::regex).matcher(name).matches();
  }

  private static Pattern regex(String glob) {
    List<String> quoted = new ArrayList<>();
    for (String piece : glob.split("\\*", -1)) {
      quoted.add(Pattern.quote(piece));
    }
    return Pattern.compile(String.join(".*", quoted));
  }

  private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();
}
