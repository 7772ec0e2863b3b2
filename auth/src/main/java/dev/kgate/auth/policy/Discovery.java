package dev.kgate.auth.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import java.util.List;
import java.util.Set;

/**
 * The non-resource URLs kubectl needs before it can do anything, which Kubernetes grants to every
 * authenticated user through the {@code system:discovery} and {@code system:public-info-viewer}
 * cluster roles. Allowing them by default (policy {@code discovery: allow}) keeps kubectl working
 * for people whose roles are narrow; they reveal the cluster's API surface, not its objects.
 */
final class Discovery {

  private static final Set<String> EXACT =
      Set.of("/api", "/apis", "/openapi", "/version", "/version/", "/healthz", "/livez", "/readyz");
  private static final List<String> PREFIXES = List.of("/api/", "/apis/", "/openapi/");

  private Discovery() {}

  static boolean isDiscovery(RequestAttributes attributes) {
    if (!(attributes instanceof RequestAttributes.NonResource)) {
      return false;
    }
    RequestAttributes.NonResource request = (RequestAttributes.NonResource) attributes;
    if (!request.verb().equals("get")) {
      return false;
    }
    if (EXACT.contains(request.path())) {
      return true;
    }
    for (String prefix : PREFIXES) {
      if (request.path().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
