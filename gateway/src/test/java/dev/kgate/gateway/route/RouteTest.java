package dev.kgate.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTest {

  @ParameterizedTest(name = "{0} goes to cluster {1} as {2}")
  @CsvSource({
      "/clusters/prod-eu/api/v1/pods, prod-eu, /api/v1/pods",
      "/clusters/prod-eu/api/v1/namespaces/a/pods?watch=true&limit=5, prod-eu, /api/v1/namespaces/a/pods?watch=true&limit=5",
      "/clusters/prod-eu, prod-eu, /",
      "/clusters/prod-eu/, prod-eu, /",
      "/clusters/staging/apis/apps/v1/deployments?fieldSelector=metadata.name%3Dx, staging, /apis/apps/v1/deployments?fieldSelector=metadata.name%3Dx",
      "/clusters/a/api/v1/namespaces/x/pods/p/exec?command=ls&command=..%2Fetc, a, /api/v1/namespaces/x/pods/p/exec?command=ls&command=..%2Fetc",
  })
  void clusterPathsAreSplitIntoClusterAndUpstreamPath(String target, String cluster, String upstream) {
    assertThat(Route.of(target)).isEqualTo(new Route.ToCluster(cluster, upstream));
  }

  @ParameterizedTest(name = "{0} is refused")
  @ValueSource(strings = {
      "/clusters/a/../b/api/v1/pods",
      "/clusters/a/%2e%2e/b/api/v1/pods",
      "/clusters/a/%2E%2e/b/api",
      "/clusters/a/./api",
      "/clusters/a//api/v1",
      "/clusters/a/api%2Fv1/pods",
      "/clusters/a/api%2fv1/pods",
      "/clusters/a/api\\v1",
      "/clusters/a/api/v1/pods/x%00",
      "/clusters/a/api/v1/..",
      "relative/path",
  })
  void ambiguousPathsAreRefusedNotNormalised(String target) {
    assertThat(Route.of(target)).as("must not be guessed").isInstanceOf(Route.Refused.class);
  }

  @ParameterizedTest(name = "{0} is not a gateway path")
  @ValueSource(strings = {"/", "/api/v1/pods", "/clusters", "/clusters/", "/healthz", "/clustersfoo/a"})
  void pathsOutsideClustersAreNotRouted(String target) {
    assertThat(Route.of(target)).isInstanceOf(Route.NotGateway.class);
  }

  @ParameterizedTest(name = "cluster name {0} is not a DNS label")
  @ValueSource(strings = {"Prod", "-a", "a_b", "a.b"})
  void clusterNamesThatAreNotDnsLabelsCannotMatchAnyCluster(String name) {
    assertThat(Route.CLUSTER_NAME.matcher(name).matches()).isFalse();
  }
}
