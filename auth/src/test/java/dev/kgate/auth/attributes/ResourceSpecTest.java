package dev.kgate.auth.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResourceSpecTest {

  @Test
  void aGroupedResourceWithSubresourceIsSplitAsKubectlDoes() {
    assertThat(ResourceSpec.resolve("get", "deployments.apps/scale", "payments", null))
        .isEqualTo(new RequestAttributes.Resource("get", "apps", "", "deployments", "scale", "payments", ""));
  }

  @Test
  void theGroupIsEverythingAfterTheFirstDot() {
    assertThat(ResourceSpec.resolve("list", "ingresses.networking.k8s.io", null, null))
        .isEqualTo(new RequestAttributes.Resource("list", "networking.k8s.io", "", "ingresses", "", "", ""));
  }

  @Test
  void execIsAskedAboutAsCreateLikeTheGatewayDecidesIt() {
    assertThat(ResourceSpec.resolve("get", "pods/exec", "payments", "web"))
        .isEqualTo(new RequestAttributes.Resource("create", "", "", "pods", "exec", "payments", "web"));
  }

  @Test
  void aPathIsANonResourceUrl() {
    assertThat(ResourceSpec.resolve("GET", "/metrics", null, null))
        .isEqualTo(new RequestAttributes.NonResource("get", "/metrics"));
  }

  @Test
  void malformedInputIsRefusedAsAValue() {
    assertThat(ResourceSpec.resolve("get", "pods/", null, null)).isInstanceOf(Refused.class);
    assertThat(ResourceSpec.resolve("get", "pods/exec/x", null, null)).isInstanceOf(Refused.class);
    assertThat(ResourceSpec.resolve("get", ".apps", null, null)).isInstanceOf(Refused.class);
    assertThat(ResourceSpec.resolve("get", "/metrics", "payments", null)).isInstanceOf(Refused.class);
    assertThat(ResourceSpec.resolve("", "pods", null, null)).isInstanceOf(Refused.class);
  }
}
