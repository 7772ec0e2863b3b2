package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Replicas as the overlay promises, a disruption budget that protects without blocking drains, and
 * an autoscaler (where the overlay has one) that starts from the same replica count.
 */
interface AvailabilityContract extends OverlayUnderTest {

  @Test
  default void theDeploymentRunsTheOverlaysReplicaCount() {
    assertThat(rendered().deployment().getSpec().getReplicas())
        .as("replicas in overlay " + rendered().name())
        .isEqualTo(expectedReplicas());
  }

  @Test
  default void rollingUpdatesNeverGoBelowTheDesiredReplicas() {
    Deployment deployment = rendered().deployment();
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .as("a replica leaving ends its watches and exec sessions; its successor must be ready first")
        .isZero();
  }

  @Test
  default void theDisruptionBudgetProtectsTheGatewayWithoutBlockingEveryDrain() {
    PodDisruptionBudget budget = rendered().manifests().one(PodDisruptionBudget.class, GATEWAY);
    assertThat(budget.getSpec().getSelector().getMatchLabels())
        .as("the budget selects the gateway pods")
        .isEqualTo(rendered().deployment().getSpec().getSelector().getMatchLabels());
    int replicas = expectedReplicas();
    int mayEvict;
    if (budget.getSpec().getMinAvailable() != null) {
      assertThat(budget.getSpec().getMaxUnavailable()).as("minAvailable and maxUnavailable are exclusive").isNull();
      mayEvict = replicas - budget.getSpec().getMinAvailable().getIntVal();
    } else {
      mayEvict = budget.getSpec().getMaxUnavailable().getIntVal();
    }
    assertThat(mayEvict).as("pods a node drain may evict at once with " + replicas + " replicas").isGreaterThanOrEqualTo(1);
    if (replicas > 1) {
      assertThat(replicas - mayEvict).as("replicas left serving during a drain").isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  default void anAutoscalerWhereExpectedScalesTheDeploymentOnCpu() {
    Optional<HorizontalPodAutoscaler> autoscaler = rendered().manifests().find(HorizontalPodAutoscaler.class, GATEWAY);
    assertThat(autoscaler.isPresent()).as("overlay " + rendered().name() + " has an autoscaler").isEqualTo(expectedAutoscaler());
    if (autoscaler.isEmpty()) {
      return;
    }
    HorizontalPodAutoscalerSpec spec = autoscaler.get().getSpec();
    assertThat(spec.getScaleTargetRef().getKind()).as("target kind").isEqualTo("Deployment");
    assertThat(spec.getScaleTargetRef().getName()).as("target name").isEqualTo(GATEWAY);
    assertThat(spec.getMinReplicas()).as("minReplicas equals the Deployment's replicas").isEqualTo(expectedReplicas());
    assertThat(spec.getMaxReplicas()).as("maxReplicas").isGreaterThan(spec.getMinReplicas());
    assertThat(spec.getMetrics()).as("metrics").singleElement().satisfies(metric -> {
      assertThat(metric.getType()).isEqualTo("Resource");
      assertThat(metric.getResource().getName()).isEqualTo("cpu");
    });
  }
}
