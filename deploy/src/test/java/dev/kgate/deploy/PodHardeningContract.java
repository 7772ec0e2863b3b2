package dev.kgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAntiAffinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway pod: non-root, read-only, no capabilities, RuntimeDefault seccomp, sized, probed on
 * the admin port, spread over nodes, with only /tmp and its own audit directory writable.
 */
interface PodHardeningContract extends OverlayUnderTest {

  @Test
  default void thePodRunsAsNonRootWithTheRuntimeDefaultSeccompProfile() {
    PodSecurityContext context = rendered().pod().getSecurityContext();
    assertThat(context).as("pod securityContext").isNotNull();
    assertThat(context.getRunAsNonRoot()).as("pod runAsNonRoot").isTrue();
    assertThat(context.getRunAsUser()).as("pod runAsUser").isEqualTo(NON_ROOT_UID);
    assertThat(context.getSeccompProfile()).as("pod seccomp profile").isNotNull();
    assertThat(context.getSeccompProfile().getType()).as("pod seccomp profile type").isEqualTo("RuntimeDefault");
  }

  @Test
  default void theContainerIsReadOnlyUnprivilegedAndHoldsNoCapabilities() {
    PodSpec pod = rendered().pod();
    assertThat(pod.getContainers()).as("containers in the pod").hasSize(1);
    assertThat(pod.getInitContainers()).as("init containers (each would need the same hardening)").isEmpty();
    assertThat(pod.getHostNetwork()).as("hostNetwork").isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).as("hostPID").isNotEqualTo(Boolean.TRUE);
    SecurityContext context = rendered().gateway().getSecurityContext();
    assertThat(context).as("container securityContext").isNotNull();
    assertThat(context.getRunAsNonRoot()).as("container runAsNonRoot").isTrue();
    assertThat(context.getRunAsUser()).as("container runAsUser").isEqualTo(NON_ROOT_UID);
    assertThat(context.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
    assertThat(context.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
    assertThat(context.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
    assertThat(context.getCapabilities()).as("capabilities").isNotNull();
    assertThat(context.getCapabilities().getDrop()).as("capabilities dropped").containsExactly("ALL");
    assertThat(context.getCapabilities().getAdd()).as("capabilities added").isEmpty();
    assertThat(context.getSeccompProfile()).as("container seccomp profile").isNotNull();
    assertThat(context.getSeccompProfile().getType()).as("container seccomp profile type").isEqualTo("RuntimeDefault");
  }

  @Test
  default void theContainerHasResourceRequestsAndLimits() {
    Container gateway = rendered().gateway();
    assertThat(gateway.getResources().getRequests()).as("requests").containsKeys("cpu", "memory");
    assertThat(gateway.getResources().getLimits()).as("limits").containsKeys("cpu", "memory");
  }

  @Test
  default void startupLivenessAndReadinessProbesAskTheAdminPort() {
    Container gateway = rendered().gateway();
    assertThat(rendered().containerPort("admin").getContainerPort()).as("the admin port").isEqualTo(ADMIN_PORT);
    assertProbe("startup", gateway.getStartupProbe(), "/healthz");
    assertProbe("liveness", gateway.getLivenessProbe(), "/healthz");
    assertProbe("readiness", gateway.getReadinessProbe(), "/readyz");
  }

  private static void assertProbe(String kind, Probe probe, String path) {
    assertThat(probe).as(kind + " probe").isNotNull();
    assertThat(probe.getHttpGet()).as(kind + " probe is an HTTP GET").isNotNull();
    assertThat(probe.getHttpGet().getPath()).as(kind + " probe path").isEqualTo(path);
    assertThat(probe.getHttpGet().getPort().getValue()).as(kind + " probe port (by name or number)").isIn("admin", ADMIN_PORT);
  }

  @Test
  default void replicasPreferDifferentNodes() {
    PodSpec pod = rendered().pod();
    PodAntiAffinity antiAffinity = pod.getAffinity() == null ? null : pod.getAffinity().getPodAntiAffinity();
    assertThat(antiAffinity).as("podAntiAffinity").isNotNull();
    List<PodAffinityTerm> terms = new ArrayList<>(antiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
    antiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution().stream()
        .map(WeightedPodAffinityTerm::getPodAffinityTerm)
        .forEach(terms::add);
    Map<String, String> podLabels = rendered().deployment().getSpec().getTemplate().getMetadata().getLabels();
    assertThat(terms)
        .as("an anti-affinity term on kubernetes.io/hostname that selects the gateway's own pods")
        .anySatisfy(term -> {
          assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
          assertThat(term.getLabelSelector().getMatchLabels()).isNotEmpty();
          assertThat(podLabels).containsAllEntriesOf(term.getLabelSelector().getMatchLabels());
        });
  }

  @Test
  default void tmpIsTheOnlyScratchSpaceAndTheAuditLogIsAPersistentVolume() {
    RenderedOverlay o = rendered();
    assertThat(o.volumeAt("/tmp").getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    VolumeMount auditMount = o.mountAt("/var/lib/kgate/audit");
    assertThat(o.volume(auditMount.getName()).getPersistentVolumeClaim()).as("the audit volume is a PVC").isNotNull();
    assertThat(auditMount.getSubPathExpr())
        .as("each replica writes its own directory: a hash-chained audit stream has one writer")
        .isEqualTo("$(POD_NAME)");
    assertThat(o.gateway().getEnv())
        .as("POD_NAME comes from the pod's own name")
        .anySatisfy(env -> {
          assertThat(env.getName()).isEqualTo("POD_NAME");
          assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
    String claim = o.volume(auditMount.getName()).getPersistentVolumeClaim().getClaimName();
    assertThat(o.manifests().find(PersistentVolumeClaim.class, claim))
        .as("the PVC the pod mounts is part of the overlay")
        .isPresent();
  }

  @Test
  default void onlyThisPodGetsTheServiceAccountToken() {
    PodSpec pod = rendered().pod();
    ServiceAccount account = rendered().manifests().one(ServiceAccount.class, pod.getServiceAccountName());
    assertThat(account.getAutomountServiceAccountToken())
        .as("the ServiceAccount does not hand its token to every pod that names it")
        .isFalse();
    assertThat(pod.getAutomountServiceAccountToken())
        .as("the gateway pod mounts it: the in-cluster cluster entry authenticates with it")
        .isTrue();
  }
}
