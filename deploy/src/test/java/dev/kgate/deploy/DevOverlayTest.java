package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

/** {@code deploy/kustomize/overlays/dev}: one replica, no autoscaler, every hardening of the base. */
final class DevOverlayTest extends OverlayContract {

  @Override
  String overlay() {
    return "dev";
  }

  @Override
  public int expectedReplicas() {
    return 1;
  }

  @Override
  public boolean expectedAutoscaler() {
    return false;
  }

  @Test
  void theSingleReplicaHasNoAutoscalerAndMayBeEvictedByADrain() {
    assertThat(rendered().manifests().ofType(HorizontalPodAutoscaler.class)).as("autoscalers").isEmpty();
    PodDisruptionBudget budget = rendered().manifests().one(PodDisruptionBudget.class, GATEWAY);
    assertThat(budget.getSpec().getMinAvailable())
        .as("minAvailable 1 with one replica would block every node drain")
        .isNull();
    assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).as("maxUnavailable").isEqualTo(1);
  }

  @Test
  void theAuditVolumeNeedsNoSharedStorage() {
    PersistentVolumeClaim claim = rendered().manifests().one(PersistentVolumeClaim.class, "kgate-audit");
    assertThat(claim.getSpec().getAccessModes())
        .as("one replica: any storage class (kind's local-path included) can provide it")
        .containsExactly("ReadWriteOnce");
  }
}
