package dev.kgate.auth.attributes;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Derives from a request's method, path and query the attributes the Kubernetes API server will
 * authorize, following {@code k8s.io/apiserver/pkg/endpoints/request/requestinfo.go} line by
 * line, so that the gateway's policy judges the same request the cluster will execute. A gateway
 * that derived different attributes (say, a namespace from a path the API server reads otherwise)
 * would authorize one thing and forward another.
 *
 * <p>The path is normalised first by refusing ({@link PathSegments}): encoded {@code /} or NUL,
 * dot and empty segments, backslashes and {@code ;} parameters are {@link Refused}, never cleaned
 * up. Case is kept ({@code /API/v1} is a non-resource URL, as it is for the API server).
 *
 * <p>Where kgate deliberately differs from the API server, it is stricter:
 * <ul>
 *   <li>{@code exec}, {@code attach} and {@code portforward} are {@code create} whatever the method.
 *       The WebSocket upgrade is a {@code GET}, which API servers before 1.35 authorize as
 *       {@code get}, so a read-only role could open a shell; kgate closes that gap.
 *   <li>The legacy {@code /api/v1/proxy/…} paths (removed from the API server long ago) are refused,
 *       and legacy {@code /watch/} paths are accepted only for {@code GET} and {@code HEAD}, the
 *       only methods that route to a watch.
 *   <li>A resource request with a {@code *} in any attribute is refused: no Kubernetes name holds
 *       one, and a literal {@code *} must never meet a policy wildcard.
 *   <li>A query with a {@code ;}, a bad escape, or two {@code watch} or {@code fieldSelector}
 *       parameters is refused ({@link QueryParameters}).
 * </ul>
 */
public final class RequestAttributesResolver {

  private static final Set<String> API_PREFIXES = Set.of("api", "apis");
  private static final String GROUPLESS_PREFIX = "api";
  private static final String LEGACY_WATCH = "watch";
  private static final String LEGACY_PROXY = "proxy";
  private static final String NAMESPACES = "namespaces";
  /** Subresources of a namespace; anything else after {@code namespaces/{ns}/} is a resource. */
  private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");
  /** Opening a stream into a pod is creating something, whatever the HTTP method says. */
  private static final Set<String> CREATE_SUBRESOURCES = Set.of("exec", "attach", "portforward");
  private static final Set<String> NON_RESOURCE_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private RequestAttributesResolver() {}

  /**
   * Resolves one request.
   *
   * @param method   the HTTP method as received (case-sensitive, like HTTP)
   * @param rawPath  the path as received, still percent-encoded, without the query; for a request
   *                 to {@code /clusters/{name}/…} the part after the cluster prefix, unaltered
   * @param rawQuery the raw query without {@code ?}, or null
   */
  public static Resolution resolve(String method, String rawPath, String rawQuery) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(rawPath, "rawPath");
    try {
      return resolveOrRefuse(method, rawPath, rawQuery);
    } catch (Refusal refusal) {
      return refusal.refused();
    }
  }

  private static Resolution resolveOrRefuse(String method, String rawPath, String rawQuery) {
    if (!NON_RESOURCE_METHODS.contains(method)) {
      throw new Refusal("the HTTP method is not one the Kubernetes API uses");
    }
    PathSegments.Decoded decoded = PathSegments.decode(rawPath);
    QueryParameters query = QueryParameters.parse(rawQuery);
    List<String> parts = decoded.segments();
    RequestAttributes.NonResource nonResource =
        new RequestAttributes.NonResource(method.toLowerCase(Locale.ROOT), decoded.path());

    if (parts.size() < 3 || !API_PREFIXES.contains(parts.get(0))) {
      return nonResource;
    }
    String prefix = parts.get(0);
    parts = parts.subList(1, parts.size());
    String apiGroup = "";
    if (!prefix.equals(GROUPLESS_PREFIX)) {
      // one part (the prefix) is consumed already, so this asks "are there four parts?"
      if (parts.size() < 3) {
        return nonResource;
      }
      apiGroup = parts.get(0);
      parts = parts.subList(1, parts.size());
    }
    String apiVersion = parts.get(0);
    parts = parts.subList(1, parts.size());

    String verb;
    if (parts.get(0).equals(LEGACY_WATCH) || parts.get(0).equals(LEGACY_PROXY)) {
      if (parts.size() < 2) {
        // the API server fails here too (500: "unable to determine kind and namespace")
        throw new Refusal("the request path names no resource after /" + parts.get(0) + "/");
      }
      if (parts.get(0).equals(LEGACY_PROXY)) {
        throw new Refusal("legacy /proxy/ paths are not served; use the proxy subresource");
      }
      if (!method.equals("GET") && !method.equals("HEAD")) {
        throw new Refusal("a /watch/ path is only served for GET");
      }
      verb = Verbs.WATCH; // selectors of a legacy watch are not read, as in the API server
      parts = parts.subList(1, parts.size());
    } else {
      verb = verbOf(method);
    }

    String namespace = "";
    if (parts.get(0).equals(NAMESPACES)) {
      if (parts.size() > 1) {
        namespace = parts.get(1);
        // a further part that is not a namespace subresource is a resource in that namespace
        if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
          parts = parts.subList(2, parts.size());
        }
      }
    }

    // parts are resource/name/subresource/anything/else/is/not/interpreted
    String resource = parts.get(0);
    String name = parts.size() >= 2 ? parts.get(1) : "";
    String subresource = parts.size() >= 3 ? parts.get(2) : "";

    if (name.isEmpty() && verb.equals(Verbs.GET)) {
      verb = watchRequested(query.value(QueryParameters.WATCH)) ? Verbs.WATCH : Verbs.LIST;
      String selector = query.value(QueryParameters.FIELD_SELECTOR);
      if (selector != null) {
        name = FieldSelectors.requiredName(selector).orElse("");
      }
    }
    if (name.isEmpty() && verb.equals(Verbs.DELETE)) {
      verb = Verbs.DELETECOLLECTION;
    }
    if (CREATE_SUBRESOURCES.contains(subresource)) {
      verb = Verbs.CREATE;
    }
    RequestAttributes.Resource attributes =
        new RequestAttributes.Resource(verb, apiGroup, apiVersion, resource, subresource, namespace, name);
    refuseWildcards(attributes);
    return attributes;
  }

  private static String verbOf(String method) {
    switch (method) {
      case "POST":
        return Verbs.CREATE;
      case "GET":
      case "HEAD":
        return Verbs.GET;
      case "PUT":
        return Verbs.UPDATE;
      case "PATCH":
        return Verbs.PATCH;
      case "DELETE":
        return Verbs.DELETE;
      default:
        // the API server gives the empty verb, which no rule grants; say so now
        throw new Refusal("the HTTP method " + method + " is not used for API resources");
    }
  }

  /**
   * {@code runtime.Convert_Slice_string_To_bool}: only "0" and "false" (any case) are false, so
   * {@code ?watch} and {@code ?watch=} are watches.
   */
  private static boolean watchRequested(String value) {
    return value != null && !value.equals("0") && !value.equalsIgnoreCase("false");
  }

  private static void refuseWildcards(RequestAttributes.Resource attributes) {
    for (String part :
        List.of(
            attributes.apiGroup(),
            attributes.apiVersion(),
            attributes.resource(),
            attributes.subresource(),
            attributes.namespace(),
            attributes.name())) {
      if (part.indexOf('*') >= 0) {
        throw new Refusal("a '*' cannot appear in a Kubernetes resource path");
      }
    }
  }
}
