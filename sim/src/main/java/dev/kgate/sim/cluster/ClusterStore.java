package dev.kgate.sim.cluster;

import io.fabric8.zjsonpatch.JsonDiff;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BinaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects of a simulated cluster: CRUD calls go to the fabric8 mock, and their answers are
 * made to look like a real API server's (Status bodies for errors, typed list kinds, 200 for
 * PATCH). Every successful mutation is published to the {@link WatchHub}, which is how watches
 * see changes the mock itself cannot stream. Strategic merge patches (which the mock refuses) and
 * JSON merge patches (which it applies wrongly to lists and nulls) are applied here to the current
 * object, and the mock receives the exact difference as a JSON patch (RFC 6902), which it applies
 * correctly.
 */
final class ClusterStore {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterStore.class);

  static final String STRATEGIC_MERGE = "application/strategic-merge-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  private final MockBackend backend;
  private final WatchHub hub;
  private final ApiCatalog catalog;
  private final Clock clock;

  ClusterStore(MockBackend backend, WatchHub hub, ApiCatalog catalog, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.backend = Objects.requireNonNull(backend, "backend");
    this.hub = Objects.requireNonNull(hub, "hub");
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** Reads an object or collection; {@code uri} is path plus query. */
  CompletableFuture<BackendResponse> get(String uri, ResourcePath path) {
    if (path != null && ScaleSubresource.applies(path)) {
      return scale("GET", path, null, null);
    }
    return backend.send("GET", uri, null, null).thenApply(r -> normalize("GET", path, r, ""));
  }

  /**
   * Performs a request against the store. {@code dryRun} requests are answered without storing
   * anything, as a real server validates and then discards them.
   */
  CompletableFuture<BackendResponse> execute(
      String method, String uri, ResourcePath path, String contentType, byte[] body, boolean dryRun) {
    if (method.equals("GET") || method.equals("HEAD")) {
      return get(uri, path);
    }
    if (dryRun) {
      return dryRun(method, uri, path, body);
    }
    if (path != null && ScaleSubresource.applies(path)) {
      return scale(method, path, contentType, body);
    }
    if (method.equals("POST") && isPodCreation(path)) {
      body = runningPod(body);
    }
    CompletableFuture<BackendResponse> call;
    if (method.equals("PATCH") && isMediaType(contentType, STRATEGIC_MERGE)) {
      call = patchAsJsonPatch(uri, body, StrategicMergePatch::apply);
    } else if (method.equals("PATCH") && isMediaType(contentType, MERGE_PATCH)) {
      call = patchAsJsonPatch(uri, body, MergePatch::apply);
    } else if (method.equals("PATCH") && isMediaType(contentType, APPLY_PATCH) && path != null && path.name() != null) {
      return serverSideApply(uri, path, body);
    } else {
      call = backend.send(method, uri, contentType, body);
    }
    String sentName = method.equals("POST") ? nameIn(body) : "";
    return call.thenApply(r -> {
      BackendResponse normalized = normalize(method, path, r, sentName);
      if (normalized.isSuccess()) {
        publish(method, path, normalized);
      }
      return normalized;
    });
  }

  private CompletableFuture<BackendResponse> dryRun(String method, String uri, ResourcePath path, byte[] body) {
    if ((method.equals("POST") || method.equals("PUT")) && Json.parseOrNull(body) != null) {
      return CompletableFuture.completedFuture(new BackendResponse(method.equals("POST") ? 201 : 200, body));
    }
    return get(withoutQuery(uri), path);
  }

  private CompletableFuture<BackendResponse> patchAsJsonPatch(
      String uri, byte[] body, BinaryOperator<JsonNode> patcher) {
    JsonNode patch = Json.parseOrNull(body);
    if (patch == null || !patch.isObject()) {
      return CompletableFuture.completedFuture(
          new BackendResponse(400, Json.bytes(KubeStatus.badRequest("the patch is not a JSON object"))));
    }
    return backend.send("GET", withoutQuery(uri), null, null).thenCompose(current -> {
      JsonNode object = current.status() == 200 ? Json.parseOrNull(current.body()) : null;
      if (object == null) {
        return CompletableFuture.completedFuture(current);
      }
      JsonNode patched = patcher.apply(object, patch);
      JsonNode jsonPatch = JsonDiff.asJson(object, patched == null ? Json.object() : patched);
      return backend.send("PATCH", uri, JSON_PATCH, Json.bytes(jsonPatch));
    });
  }

  /**
   * Server-side apply, approximated: the applied configuration is merged into the live object the
   * way a strategic merge patch would merge it (field ownership is not tracked), or created when
   * there is no object yet. kubectl sends the configuration as JSON, which is valid YAML.
   */
  private CompletableFuture<BackendResponse> serverSideApply(String uri, ResourcePath path, byte[] body) {
    JsonNode applied = Json.parseOrNull(body);
    if (applied == null || !applied.isObject()) {
      return CompletableFuture.completedFuture(new BackendResponse(415, Json.bytes(KubeStatus.failure(415,
          "UnsupportedMediaType", "the simulated cluster reads server-side apply bodies in JSON only"))));
    }
    return backend.send("GET", path.objectPath(), null, null).thenCompose(current -> {
      if (current.status() == 404) {
        String create = path.collectionPath() + query(uri);
        return backend.send("POST", create, Responses.JSON, body).thenApply(r -> {
          BackendResponse normalized = normalize("POST", path, r, path.name());
          if (normalized.isSuccess()) {
            publish("POST", path, normalized);
          }
          return normalized.isSuccess() ? new BackendResponse(201, normalized.body()) : normalized;
        });
      }
      return execute("PATCH", uri, path, STRATEGIC_MERGE, body, false);
    });
  }

  private static String query(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? "" : uri.substring(q);
  }

  private CompletableFuture<BackendResponse> scale(String method, ResourcePath path, String contentType, byte[] body) {
    return backend.send("GET", path.objectPath(), null, null).thenCompose(current -> {
      JsonNode parent = current.status() == 200 ? Json.parseOrNull(current.body()) : null;
      if (parent == null) {
        return CompletableFuture.completedFuture(normalize("GET", path, current, ""));
      }
      ObjectNode scale = ScaleSubresource.toScale(parent);
      if (method.equals("GET")) {
        return CompletableFuture.completedFuture(new BackendResponse(200, Json.bytes(scale)));
      }
      if (!method.equals("PUT") && !method.equals("PATCH")) {
        return CompletableFuture.completedFuture(
            new BackendResponse(405, Json.bytes(KubeStatus.methodNotAllowed("the scale subresource takes GET, PUT and PATCH"))));
      }
      int replicas = ScaleSubresource.requestedReplicas(method, contentType, body, scale);
      if (replicas < 0) {
        return CompletableFuture.completedFuture(
            new BackendResponse(400, Json.bytes(KubeStatus.badRequest("the request does not set spec.replicas"))));
      }
      return backend.send("PATCH", path.objectPath(), JSON_PATCH, Json.bytes(ScaleSubresource.parentPatch(replicas)))
          .thenApply(updated -> {
            BackendResponse normalized = normalize("PATCH", path, updated, "");
            JsonNode object = Json.parseOrNull(normalized.body());
            if (!normalized.isSuccess() || object == null) {
              return normalized;
            }
            publish("MODIFIED", path, object);
            return new BackendResponse(200, Json.bytes(ScaleSubresource.toScale(object)));
          });
    });
  }

  private static boolean isPodCreation(ResourcePath path) {
    return path != null && path.group().isEmpty() && "pods".equals(path.resource()) && path.name() == null;
  }

  /** A created pod is "scheduled and started" at once: the simulated cluster has no kubelet. */
  private byte[] runningPod(byte[] body) {
    JsonNode pod = Json.parseOrNull(body);
    if (pod == null || !pod.isObject() || !Json.text(pod, "status", "phase").isEmpty()) {
      return body;
    }
    SimSeed.markRunning((ObjectNode) pod, clock.instant());
    return Json.bytes(pod);
  }

  private static boolean isMediaType(String contentType, String mediaType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(mediaType);
  }

  private static String nameIn(byte[] body) {
    JsonNode object = Json.parseOrNull(body);
    return object == null ? "" : Json.text(object, "metadata", "name");
  }

  private BackendResponse normalize(String method, ResourcePath path, BackendResponse response, String sentName) {
    if (!response.isSuccess()) {
      return new BackendResponse(response.status(), Json.bytes(errorStatus(method, path, response, sentName)));
    }
    if (method.equals("PATCH") && response.status() == 202) {
      // The mock answers 202 Accepted to PATCH; API servers answer 200 with the object.
      return new BackendResponse(200, response.body());
    }
    if (method.equals("GET") && path != null && path.name() == null) {
      return typedList(path, response);
    }
    return response;
  }

  private ObjectNode errorStatus(String method, ResourcePath path, BackendResponse response, String sentName) {
    if (response.status() == 409 && method.equals("POST") && path != null) {
      ObjectNode status = KubeStatus.failure(409, "AlreadyExists",
          qualified(path) + " \"" + sentName + "\" already exists");
      ObjectNode details = status.putObject("details");
      details.put("name", sentName);
      if (!path.group().isEmpty()) {
        details.put("group", path.group());
      }
      details.put("kind", path.resource());
      return status;
    }
    JsonNode body = Json.parseOrNull(response.body());
    if (body != null && "Status".equals(Json.text(body, "kind")) && body.isObject()) {
      ObjectNode status = (ObjectNode) body;
      status.put("apiVersion", "v1");
      status.put("status", "Failure");
      if (!status.has("metadata")) {
        status.putObject("metadata");
      }
      status.put("code", response.status());
      return status;
    }
    return KubeStatus.forCode(response.status(), path);
  }

  private BackendResponse typedList(ResourcePath path, BackendResponse response) {
    JsonNode list = Json.parseOrNull(response.body());
    if (list == null || !list.isObject() || !"List".equals(Json.text(list, "kind"))) {
      return response;
    }
    Optional<ApiResourceType> type = catalog.find(path.group(), path.version(), path.resource());
    if (type.isEmpty()) {
      return response;
    }
    ObjectNode typed = (ObjectNode) list;
    typed.put("kind", type.get().kind() + "List");
    typed.put("apiVersion", type.get().groupVersion());
    ((ObjectNode) typed.path("metadata")).remove("selfLink");
    return new BackendResponse(response.status(), Json.bytes(typed));
  }

  private void publish(String method, ResourcePath path, BackendResponse response) {
    if (path == null) {
      return;
    }
    JsonNode body = Json.parseOrNull(response.body());
    if (body == null || !body.isObject()) {
      return;
    }
    switch (method) {
      case "POST":
        publish("ADDED", path, body);
        break;
      case "PUT":
      case "PATCH":
        publish("MODIFIED", path, body);
        break;
      case "DELETE":
        if (body.has("items")) {
          body.path("items").forEach(item -> publishDeleted(path, item));
        } else {
          publishDeleted(path, body);
        }
        break;
      default:
        break;
    }
  }

  private void publishDeleted(ResourcePath path, JsonNode object) {
    boolean pending = object.path("metadata").has("deletionTimestamp")
        && object.path("metadata").path("finalizers").size() > 0;
    if (pending) {
      publish("MODIFIED", path, object);
      return;
    }
    ObjectNode gone = (ObjectNode) object.deepCopy();
    ((ObjectNode) gone.path("metadata")).put("resourceVersion", String.valueOf(backend.nextResourceVersion()));
    publish("DELETED", path, gone);
  }

  private void publish(String type, ResourcePath path, JsonNode object) {
    String namespace = Json.text(object, "metadata", "namespace");
    WatchEvent event = new WatchEvent(
        type,
        path.group(),
        path.resource(),
        namespace.isEmpty() ? null : namespace,
        Json.text(object, "metadata", "name"),
        Json.labels(object),
        object,
        Json.resourceVersion(object));
    LOG.debug("{} {}/{} {}/{}", type, path.group(), path.resource(), event.namespace(), event.name());
    hub.publish(event);
  }

  static String qualified(ResourcePath path) {
    return path.group().isEmpty() ? path.resource() : path.resource() + "." + path.group();
  }

  static String withoutQuery(String uri) {
    int q = uri.indexOf('?');
    return q < 0 ? uri : uri.substring(0, q);
  }

  static String utf8(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
