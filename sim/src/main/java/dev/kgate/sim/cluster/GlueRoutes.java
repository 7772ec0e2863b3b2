package dev.kgate.sim.cluster;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The "glue" a real API server has and the fabric8 mock lacks (DESIGN.md): discovery, OpenAPI,
 * {@code /version}, health endpoints, and {@code SelfSubjectReview} (so {@code kubectl auth
 * whoami} shows the identity the cluster sees: the impersonated user, or the gateway itself).
 * Paths are matched without their query string, since kubectl appends {@code ?timeout=32s}.
 */
final class GlueRoutes {

  /** The user the cluster sees when the gateway calls without impersonating anyone. */
  static final String GATEWAY_USER = "system:serviceaccount:kube-system:kgate-gateway";

  private static final String IMPERSONATE_EXTRA = "impersonate-extra-";

  private final SimContext sim;

  GlueRoutes(SimContext sim) {
    this.sim = Objects.requireNonNull(sim, "sim");
  }

  Optional<Reply> answer(SimRequest request) {
    String path = request.path();
    if (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (request.method().equals("POST") && path.equals("/apis/authentication.k8s.io/v1/selfsubjectreviews")) {
      return Optional.of(selfSubjectReview(request));
    }
    if (!request.method().equals("GET")) {
      return Optional.empty();
    }
    switch (path) {
      case "/version":
        return Optional.of(Reply.json(200, DiscoveryDocuments.version()));
      case "/healthz":
      case "/livez":
      case "/readyz":
        return Optional.of(new Reply(200, "text/plain; charset=utf-8", "ok".getBytes(StandardCharsets.US_ASCII)));
      case "/api":
      case "/apis":
        return Optional.of(discoveryRoot(path.equals("/api"), request.header(HttpHeaderNames.ACCEPT.toString())));
      case "/openapi/v3":
        return Optional.of(new Reply(200, Responses.JSON, sim.openApi.root()));
      case "/openapi/v2":
        return Optional.of(Reply.json(404, KubeStatus.pathNotFound()));
      default:
        break;
    }
    if (path.startsWith("/openapi/v3/")) {
      return Optional.of(sim.openApi.groupVersion(path.substring("/openapi/v3/".length()))
          .map(doc -> new Reply(200, Responses.JSON, doc))
          .orElseGet(() -> Reply.json(404, KubeStatus.pathNotFound())));
    }
    String[] s = path.split("/");
    if (s.length == 3 && s[1].equals("api")) {
      return Optional.of(resourceList("", s[2]));
    }
    if (s.length == 4 && s[1].equals("apis")) {
      return Optional.of(resourceList(s[2], s[3]));
    }
    if (s.length == 3 && s[1].equals("apis")) {
      return Optional.of(Reply.json(404, KubeStatus.pathNotFound()));
    }
    return Optional.empty();
  }

  private Reply discoveryRoot(boolean core, String accept) {
    Optional<String> aggregated = DiscoveryDocuments.aggregatedContentType(accept);
    if (aggregated.isPresent()) {
      return new Reply(200, aggregated.get(), Json.bytes(sim.discovery.aggregated(core, aggregated.get())));
    }
    return Reply.json(200, core ? sim.discovery.apiVersions(sim.serverAddress()) : sim.discovery.apiGroupList());
  }

  private Reply resourceList(String group, String version) {
    return sim.discovery.resourceList(group, version)
        .map(doc -> Reply.json(200, doc))
        .orElseGet(() -> Reply.json(404, KubeStatus.pathNotFound()));
  }

  private static Reply selfSubjectReview(SimRequest request) {
    ObjectNode review = Json.object();
    review.put("kind", "SelfSubjectReview");
    review.put("apiVersion", "authentication.k8s.io/v1");
    review.putObject("metadata").putNull("creationTimestamp");
    ObjectNode user = review.putObject("status").putObject("userInfo");
    String impersonated = request.header("Impersonate-User");
    user.put("username", impersonated != null ? impersonated : GATEWAY_USER);
    String uid = request.header("Impersonate-Uid");
    if (uid != null) {
      user.put("uid", uid);
    }
    ArrayNode groups = user.putArray("groups");
    if (impersonated != null) {
      request.headers().getAll("Impersonate-Group").forEach(groups::add);
    } else {
      groups.add("system:serviceaccounts");
      groups.add("system:serviceaccounts:kube-system");
    }
    // The API server adds system:authenticated to every authenticated identity, impersonated or not.
    groups.add("system:authenticated");
    ObjectNode extra = Json.object();
    for (Map.Entry<String, String> header : request.headers()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (impersonated != null && name.startsWith(IMPERSONATE_EXTRA)) {
        String key = URLDecoder.decode(name.substring(IMPERSONATE_EXTRA.length()), StandardCharsets.UTF_8);
        ArrayNode values = extra.has(key) ? (ArrayNode) extra.get(key) : extra.putArray(key);
        values.add(header.getValue());
      }
    }
    if (!extra.isEmpty()) {
      user.set("extra", extra);
    }
    return Reply.json(201, review);
  }
}
