package dev.kgate.auth.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request-attribute table: each row is a request and what the Kubernetes API server's
 * {@code requestinfo.go} derives from it (or kgate's refusal, where the path could be read two ways).
 */
class RequestAttributesResolverTest {

  private static final String NS = "/api/v1/namespaces/payments";

  static Stream<Arguments> resolved() {
    return Stream.of(
        // core group, namespaced
        row("list pods", "GET", NS + "/pods", null, res("list", "", "v1", "pods", "", "payments", "")),
        row("get one pod", "GET", NS + "/pods/web", null, res("get", "", "v1", "pods", "", "payments", "web")),
        row("HEAD is get", "HEAD", NS + "/pods/web", null, res("get", "", "v1", "pods", "", "payments", "web")),
        row("create a pod (no name)", "POST", NS + "/pods", null, res("create", "", "v1", "pods", "", "payments", "")),
        row("update", "PUT", NS + "/pods/web", null, res("update", "", "v1", "pods", "", "payments", "web")),
        row("patch", "PATCH", NS + "/pods/web", null, res("patch", "", "v1", "pods", "", "payments", "web")),
        row("delete one", "DELETE", NS + "/pods/web", null, res("delete", "", "v1", "pods", "", "payments", "web")),
        row("delete a collection", "DELETE", NS + "/pods", null, res("deletecollection", "", "v1", "pods", "", "payments", "")),
        row("delete a collection ignores fieldSelector", "DELETE", NS + "/pods", "fieldSelector=metadata.name%3Dweb",
            res("deletecollection", "", "v1", "pods", "", "payments", "")),
        // grouped
        row("grouped list", "GET", "/apis/apps/v1/namespaces/payments/deployments", "limit=500",
            res("list", "apps", "v1", "deployments", "", "payments", "")),
        row("grouped delete", "DELETE", "/apis/apps/v1/namespaces/payments/deployments/web", null,
            res("delete", "apps", "v1", "deployments", "", "payments", "web")),
        row("dotted group", "GET", "/apis/networking.k8s.io/v1/namespaces/payments/ingresses/web", null,
            res("get", "networking.k8s.io", "v1", "ingresses", "", "payments", "web")),
        // cluster-scoped and cluster-wide
        row("all pods in all namespaces", "GET", "/api/v1/pods", null, res("list", "", "v1", "pods", "", "", "")),
        row("nodes", "GET", "/api/v1/nodes", null, res("list", "", "v1", "nodes", "", "", "")),
        row("one node", "GET", "/api/v1/nodes/n1", null, res("get", "", "v1", "nodes", "", "", "n1")),
        row("grouped cluster-scoped", "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", null,
            res("get", "rbac.authorization.k8s.io", "v1", "clusterroles", "", "", "admin")),
        row("namespaces list", "GET", "/api/v1/namespaces", null, res("list", "", "v1", "namespaces", "", "", "")),
        row("a namespace is in itself", "GET", "/api/v1/namespaces/payments", null,
            res("get", "", "v1", "namespaces", "", "payments", "payments")),
        row("namespace status", "PUT", "/api/v1/namespaces/payments/status", null,
            res("update", "", "v1", "namespaces", "status", "payments", "payments")),
        row("namespace finalize", "PUT", "/api/v1/namespaces/payments/finalize", null,
            res("update", "", "v1", "namespaces", "finalize", "payments", "payments")),
        // subresources
        row("status", "PUT", NS + "/pods/web/status", null, res("update", "", "v1", "pods", "status", "payments", "web")),
        row("scale", "GET", "/apis/apps/v1/namespaces/payments/deployments/web/scale", null,
            res("get", "apps", "v1", "deployments", "scale", "payments", "web")),
        row("logs", "GET", NS + "/pods/web/log", "container=app&follow=true&tailLines=5",
            res("get", "", "v1", "pods", "log", "payments", "web")),
        row("exec over WebSocket (GET) is create", "GET", NS + "/pods/web/exec", "command=sh&stdin=true&tty=true",
            res("create", "", "v1", "pods", "exec", "payments", "web")),
        row("exec over SPDY (POST) is create", "POST", NS + "/pods/web/exec", "command=sh",
            res("create", "", "v1", "pods", "exec", "payments", "web")),
        row("attach is create", "GET", NS + "/pods/web/attach", null,
            res("create", "", "v1", "pods", "attach", "payments", "web")),
        row("portforward over SPDY", "POST", NS + "/pods/web/portforward", null,
            res("create", "", "v1", "pods", "portforward", "payments", "web")),
        row("portforward over WebSocket", "GET", NS + "/pods/web/portforward", "ports=8080",
            res("create", "", "v1", "pods", "portforward", "payments", "web")),
        row("parts after the subresource are not interpreted", "GET", NS + "/pods/web/exec/anything/else", null,
            res("create", "", "v1", "pods", "exec", "payments", "web")),
        row("pod proxy", "GET", NS + "/pods/web/proxy/metrics/x", null,
            res("get", "", "v1", "pods", "proxy", "payments", "web")),
        row("service proxy with scheme and port", "GET", NS + "/services/https:web:8443/proxy/", null,
            res("get", "", "v1", "services", "proxy", "payments", "https:web:8443")),
        row("node proxy", "GET", "/api/v1/nodes/n1/proxy/stats/summary", null,
            res("get", "", "v1", "nodes", "proxy", "", "n1")),
        row("eviction", "POST", NS + "/pods/web/eviction", null,
            res("create", "", "v1", "pods", "eviction", "payments", "web")),
        // watch, both forms
        row("watch=true", "GET", NS + "/pods", "resourceVersion=7&watch=true", res("watch", "", "v1", "pods", "", "payments", "")),
        row("watch=1", "GET", NS + "/pods", "watch=1", res("watch", "", "v1", "pods", "", "payments", "")),
        row("watch with no value", "GET", NS + "/pods", "watch", res("watch", "", "v1", "pods", "", "payments", "")),
        row("watch= (empty)", "GET", NS + "/pods", "watch=", res("watch", "", "v1", "pods", "", "payments", "")),
        row("watch=yes counts", "GET", NS + "/pods", "watch=yes", res("watch", "", "v1", "pods", "", "payments", "")),
        row("watch=false", "GET", NS + "/pods", "watch=false", res("list", "", "v1", "pods", "", "payments", "")),
        row("watch=FALSE", "GET", NS + "/pods", "watch=FALSE", res("list", "", "v1", "pods", "", "payments", "")),
        row("watch=0", "GET", NS + "/pods", "watch=0", res("list", "", "v1", "pods", "", "payments", "")),
        row("watch on a named GET is still get", "GET", NS + "/pods/web", "watch=true", res("get", "", "v1", "pods", "", "payments", "web")),
        row("legacy watch path", "GET", "/api/v1/watch/namespaces/payments/pods", null,
            res("watch", "", "v1", "pods", "", "payments", "")),
        row("legacy watch of one object", "GET", "/api/v1/watch/namespaces/payments/pods/web", null,
            res("watch", "", "v1", "pods", "", "payments", "web")),
        row("legacy watch cluster-wide", "GET", "/api/v1/watch/pods", null, res("watch", "", "v1", "pods", "", "", "")),
        row("legacy grouped watch", "GET", "/apis/apps/v1/watch/namespaces/payments/deployments", null,
            res("watch", "apps", "v1", "deployments", "", "payments", "")),
        row("legacy watch of namespaces", "GET", "/api/v1/watch/namespaces", null,
            res("watch", "", "v1", "namespaces", "", "", "")),
        row("legacy watch ignores fieldSelector", "GET", "/api/v1/watch/namespaces/payments/pods", "fieldSelector=metadata.name%3Dweb",
            res("watch", "", "v1", "pods", "", "payments", "")),
        // fieldSelector sets the name of lists and watches
        row("kubectl get pod web -w", "GET", NS + "/pods", "fieldSelector=metadata.name%3Dweb&watch=true",
            res("watch", "", "v1", "pods", "", "payments", "web")),
        row("fieldSelector with a raw =", "GET", NS + "/pods", "fieldSelector=metadata.name=web",
            res("list", "", "v1", "pods", "", "payments", "web")),
        row("fieldSelector ==", "GET", NS + "/pods", "fieldSelector=metadata.name%3D%3Dweb",
            res("list", "", "v1", "pods", "", "payments", "web")),
        row("fieldSelector among other terms", "GET", NS + "/pods", "fieldSelector=status.phase%3DRunning,metadata.name%3Dweb",
            res("list", "", "v1", "pods", "", "payments", "web")),
        row("fieldSelector != sets no name", "GET", NS + "/pods", "fieldSelector=metadata.name!%3Dweb",
            res("list", "", "v1", "pods", "", "payments", "")),
        row("fieldSelector: first sorted term wins", "GET", NS + "/pods", "fieldSelector=metadata.name%3Db,metadata.name%3Da",
            res("list", "", "v1", "pods", "", "payments", "a")),
        row("fieldSelector name .. is not a name", "GET", NS + "/pods", "fieldSelector=metadata.name%3D..",
            res("list", "", "v1", "pods", "", "payments", "")),
        row("fieldSelector name with / is not a name", "GET", NS + "/pods", "fieldSelector=metadata.name%3Da%2Fb",
            res("list", "", "v1", "pods", "", "payments", "")),
        row("unparsable fieldSelector sets no name", "GET", NS + "/pods", "fieldSelector=garbage",
            res("list", "", "v1", "pods", "", "payments", "")),
        row("fieldSelector with a bare = in a value sets no name", "GET", NS + "/pods", "fieldSelector=metadata.name%3Da%3Db",
            res("list", "", "v1", "pods", "", "payments", "")),
        // non-resource URLs
        row("version", "GET", "/version", "timeout=32s", non("get", "/version")),
        row("version/ is its own URL", "GET", "/version/", null, non("get", "/version/")),
        row("root", "GET", "/", null, non("get", "/")),
        row("/api", "GET", "/api", null, non("get", "/api")),
        row("/api/v1", "GET", "/api/v1", null, non("get", "/api/v1")),
        row("/apis", "GET", "/apis", null, non("get", "/apis")),
        row("/apis/apps", "GET", "/apis/apps", null, non("get", "/apis/apps")),
        row("/apis/apps/v1 (three parts of a grouped path)", "GET", "/apis/apps/v1", null, non("get", "/apis/apps/v1")),
        row("openapi", "GET", "/openapi/v3/apis/apps/v1", null, non("get", "/openapi/v3/apis/apps/v1")),
        row("healthz", "HEAD", "/healthz", null, non("head", "/healthz")),
        row("a POST to a URL", "POST", "/logs/x", null, non("post", "/logs/x")),
        // trailing slashes, case, encoding that means one thing only
        row("trailing slash on a collection", "GET", NS + "/pods/", null, res("list", "", "v1", "pods", "", "payments", "")),
        row("trailing slash on an object", "GET", NS + "/pods/web/", null, res("get", "", "v1", "pods", "", "payments", "web")),
        row("upper-case prefix is not the API", "GET", "/API/v1/pods", null, non("get", "/API/v1/pods")),
        row("case is kept in resources", "GET", "/api/v1/Pods", null, res("list", "", "v1", "Pods", "", "", "")),
        row("case is kept in namespaces", "GET", "/api/v1/namespaces/Payments/pods", null,
            res("list", "", "v1", "pods", "", "Payments", "")),
        row("percent-encoded letters decode as the API server decodes them", "GET", "/%61pi/v1/namespaces/p%61yments/pods", null,
            res("list", "", "v1", "pods", "", "payments", "")),
        row("+ in a path is a plus", "GET", NS + "/configmaps/a+b", null, res("get", "", "v1", "configmaps", "", "payments", "a+b")));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        refusal("..", "GET", NS + "/pods/../secrets", null, "dot segment"),
        refusal("cluster-prefix escape (the rest of /clusters/a/../b/...)", "GET", "/../b/api/v1/pods", null, "dot segment"),
        refusal("%2e%2e", "GET", "/api/v1/namespaces/default/%2e%2e/kube-system/secrets", null, "dot segment"),
        refusal("%2E%2e", "GET", "/api/v1/namespaces/%2E%2e/pods", null, "dot segment"),
        refusal(".", "GET", NS + "/./pods", null, "dot segment"),
        refusal("%2F", "GET", "/api/v1/namespaces/a%2Fb/pods", null, "encoded '/'"),
        refusal("%2f", "GET", "/api/v1/namespaces/payments/pods/a%2fb", null, "encoded '/'"),
        refusal("//", "GET", "/api/v1//namespaces/payments/pods", null, "empty segment"),
        refusal("leading //", "GET", "//api/v1/pods", null, "empty segment"),
        refusal("two trailing slashes", "GET", NS + "/pods//", null, "empty segment"),
        refusal("; parameter", "GET", NS + "/pods;jsessionid=x", null, "';'"),
        refusal("encoded ;", "GET", NS + "/pods%3Bx", null, "';'"),
        refusal("backslash", "GET", "/api/v1/namespaces/payments\\..\\kube-system/pods", null, "backslash"),
        refusal("encoded backslash", "GET", "/api/v1/namespaces/a%5Cb/pods", null, "backslash"),
        refusal("encoded NUL", "GET", NS + "/pods/web%00", null, "NUL"),
        refusal("bad escape", "GET", NS + "/pods/%zz", null, "percent-encoding"),
        refusal("truncated escape", "GET", NS + "/pods/%4", null, "percent-encoding"),
        refusal("not UTF-8", "GET", NS + "/pods/%C3%28", null, "UTF-8"),
        refusal("raw space", "GET", NS + "/pods/a b", null, "percent-encoded"),
        refusal("raw non-ASCII", "GET", NS + "/pods/caf\u00e9", null, "percent-encoded"),
        refusal("no leading slash", "GET", "api/v1/pods", null, "start with '/'"),
        refusal("empty path", "GET", "", null, "start with '/'"),
        refusal("* as a namespace", "GET", "/api/v1/namespaces/*/pods", null, "'*'"),
        refusal("encoded * as a name", "DELETE", NS + "/pods/%2A", null, "'*'"),
        refusal("legacy proxy path", "GET", "/api/v1/proxy/namespaces/payments/pods/web", null, "legacy /proxy/"),
        refusal("legacy watch path with nothing after it", "GET", "/api/v1/watch", null, "names no resource"),
        refusal("legacy watch path with POST", "POST", "/api/v1/watch/pods", null, "only served for GET"),
        refusal("unknown method", "CONNECT", NS + "/pods", null, "HTTP method"),
        refusal("methods are case-sensitive", "get", NS + "/pods", null, "HTTP method"),
        refusal("OPTIONS on a resource", "OPTIONS", NS + "/pods", null, "not used for API resources"),
        refusal("; in the query", "GET", NS + "/pods", "watch=false;watch=true", "';'"),
        refusal("bad escape in the query", "GET", NS + "/pods", "watch=%zz&watch=true", "percent-encoding"),
        refusal("two watch parameters", "GET", NS + "/pods", "watch=false&watch=true", "more than one 'watch'"),
        refusal("two fieldSelectors", "GET", NS + "/pods", "fieldSelector=metadata.name%3Da&fieldSelector=metadata.name%3Db",
            "more than one 'fieldSelector'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("resolved")
  void resolvesAsTheApiServerDoes(String description, String method, String path, String query, Resolution expected) {
    assertThat(RequestAttributesResolver.resolve(method, path, query)).as(description).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWhatCouldBeReadTwoWays(String description, String method, String path, String query, String reason) {
    Resolution resolution = RequestAttributesResolver.resolve(method, path, query);
    assertThat(resolution).as(description).isInstanceOf(Refused.class);
    assertThat(((Refused) resolution).reason()).as(description).contains(reason);
  }

  @Test
  @DisplayName("the combined resource is resource/subresource, the form RBAC rules name")
  void combinedResourceNamesTheSubresource() {
    RequestAttributes.Resource exec = (RequestAttributes.Resource)
        RequestAttributesResolver.resolve("GET", NS + "/pods/web/exec", null);
    RequestAttributes.Resource pods = (RequestAttributes.Resource)
        RequestAttributesResolver.resolve("GET", NS + "/pods", null);
    assertThat(exec.combinedResource()).isEqualTo("pods/exec");
    assertThat(pods.combinedResource()).isEqualTo("pods");
  }

  private static Arguments row(String description, String method, String path, String query, Resolution expected) {
    return Arguments.of(description, method, path, query, expected);
  }

  private static Arguments refusal(String description, String method, String path, String query, String reason) {
    return Arguments.of(description, method, path, query, reason);
  }

  private static RequestAttributes.Resource res(
      String verb, String group, String version, String resource, String sub, String ns, String name) {
    return new RequestAttributes.Resource(verb, group, version, resource, sub, ns, name);
  }

  private static RequestAttributes.NonResource non(String verb, String path) {
    return new RequestAttributes.NonResource(verb, path);
  }
}
