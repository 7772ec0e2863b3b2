package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.RequestAttributes;

/**
 * The sentences a denied person reads (kubectl prints a {@code Status} message as
 * {@code Error from server (Forbidden): …}). They restate the person's own request and the
 * cluster, which the person already knows, and nothing of the policy: not which rule, role or deny
 * decided, which goes to the audit record instead.
 */
final class DenialMessages {

  private DenialMessages() {}

  /** "you may not delete deployments in namespace payments on cluster prod-eu". */
  static String mayNot(RequestAttributes attributes, String cluster) {
    return "you may not " + action(attributes) + " on cluster " + cluster;
  }

  static String blocked() {
    return "your access has been suspended; contact your platform team";
  }

  /** "delete deployments in namespace payments", "list nodes cluster-wide", "get /metrics". */
  static String action(RequestAttributes attributes) {
    if (attributes instanceof RequestAttributes.NonResource) {
      RequestAttributes.NonResource request = (RequestAttributes.NonResource) attributes;
      return request.verb() + " " + request.path();
    }
    RequestAttributes.Resource request = (RequestAttributes.Resource) attributes;
    String scope =
        request.namespace().isEmpty() ? "cluster-wide" : "in namespace " + request.namespace();
    return request.verb() + " " + request.combinedResource() + " " + scope;
  }
}
