package dev.kgate.cli.rbac;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyError;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import dev.kgate.auth.policy.Role;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kgate rbac sync --policy FILE --kubeconfig FILE [--cluster C]... [--dry-run]}: writes the
 * policy's allow rules into the RBAC of each cluster, reached through the kubeconfig context of
 * the same name ({@link RbacSync}). Without {@code --cluster} the clusters are the contexts that
 * some role's {@code clusters} cover; {@code --cluster} narrows that, and also reaches a cluster no
 * role covers any more, so its kgate objects are pruned. Prints a diff per cluster and one note
 * per role whose rules RBAC cannot fully express. Exit code 0 when every cluster is in sync (or,
 * with {@code --dry-run}, when every diff could be computed); {@value RbacCommand#EXIT_FAILED}
 * when the input is invalid, a cluster cannot be reached or refuses a change, or an object kgate
 * does not manage holds a name it needs.
 */
@Command(name = "sync", description = "Write the policy's allow rules into each cluster's RBAC, and prune what it no longer allows.")
final class RbacSyncCommand implements Callable<Integer> {

  static final int EXIT_SYNCED = 0;

  @Spec private CommandSpec spec;

  @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file (YAML).")
  private Path policyFile;

  @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
      description = "A kubeconfig with one context per cluster, named as the gateway names the cluster,"
          + " whose user may manage RBAC.")
  private Path kubeconfig;

  @Option(names = "--cluster", paramLabel = "C",
      description = "Sync only this cluster (a context name); repeatable. Default: every context a role covers.")
  private List<String> clusters = new ArrayList<>();

  @Option(names = "--dry-run", description = "Print what would change, and change nothing.")
  private boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Policy policy;
    List<String> contexts;
    try {
      policy = PolicyLoader.load(policyFile);
      contexts = contextNames(kubeconfig);
    } catch (PolicyException invalid) {
      for (PolicyError error : invalid.errors()) {
        err.println("kgate: policy " + policyFile + ": " + error);
      }
      return RbacCommand.EXIT_FAILED;
    } catch (InvalidKubeconfig invalid) {
      err.println("kgate: " + invalid.getMessage());
      return RbacCommand.EXIT_FAILED;
    }
    List<String> targets = targets(policy, contexts, err);
    if (targets == null) {
      return RbacCommand.EXIT_FAILED;
    }
    RbacPlan.gatewayOnlyNotes(policy).forEach(note -> out.println("note: " + note));
    boolean failed = false;
    for (String cluster : targets) {
      failed |= !syncOne(policy, cluster, out, err);
    }
    out.flush();
    err.flush();
    return failed ? RbacCommand.EXIT_FAILED : EXIT_SYNCED;
  }

  /** The clusters to sync, in kubeconfig order; null (with the reason printed) when there is none. */
  private List<String> targets(Policy policy, List<String> contexts, PrintWriter err) {
    if (!clusters.isEmpty()) {
      List<String> unknown = clusters.stream().filter(cluster -> !contexts.contains(cluster)).toList();
      if (!unknown.isEmpty()) {
        err.println("kgate: no context " + String.join(", ", unknown) + " in " + kubeconfig
            + " (contexts: " + String.join(", ", contexts) + ")");
        return null;
      }
      return List.copyOf(new LinkedHashSet<>(clusters));
    }
    Set<String> covered = new LinkedHashSet<>();
    for (String context : contexts) {
      for (Role role : policy.roles()) {
        if (RbacPlan.matchesAny(role.clusters(), context)) {
          covered.add(context);
        }
      }
    }
    if (covered.isEmpty()) {
      err.println("kgate: no context in " + kubeconfig + " is a cluster of the policy's roles"
          + " (contexts: " + String.join(", ", contexts) + "); name one with --cluster to prune it");
      return null;
    }
    return List.copyOf(covered);
  }

  private boolean syncOne(Policy policy, String cluster, PrintWriter out, PrintWriter err) {
    RbacSync.Result result;
    try (KubernetesClient client = client(cluster)) {
      result = new RbacSync(client).sync(policy, cluster, dryRun);
    } catch (KubernetesClientException failure) {
      out.flush();
      err.println("kgate: cluster " + cluster + ": " + describe(failure));
      return false;
    }
    List<String> diff = RbacDiff.lines(result.changes());
    result.plan().notes().forEach(note -> out.println("note: cluster " + cluster + ": " + note));
    if (!diff.isEmpty()) {
      out.println("cluster " + cluster + (dryRun ? " (dry run)" : ""));
      diff.forEach(out::println);
    }
    out.println(RbacDiff.summary(cluster, result.changes(), dryRun));
    return !result.hasConflicts();
  }

  private KubernetesClient client(String context) {
    Config config = Config.fromKubeconfig(context, kubeconfig.toFile());
    // A person waits for this command: fail a call to an unreachable cluster fast, not after
    // fabric8's default ten retries with back-off.
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The API server's own message when there is one, else the client's, on one line. */
  private static String describe(KubernetesClientException failure) {
    if (failure.getStatus() != null && failure.getStatus().getMessage() != null) {
      return failure.getStatus().getMessage();
    }
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause == failure || cause.getMessage() == null
        ? failure.getMessage() : failure.getMessage() + ": " + cause.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message.lines().findFirst().orElse("");
  }

  private static List<String> contextNames(Path file) throws InvalidKubeconfig {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidKubeconfig("kubeconfig " + file + " does not exist");
    } catch (IOException e) {
      throw new InvalidKubeconfig("cannot read kubeconfig " + file + ": " + e.getMessage());
    }
    io.fabric8.kubernetes.api.model.Config parsed;
    try {
      parsed = new KubernetesSerialization().unmarshal(yaml, io.fabric8.kubernetes.api.model.Config.class);
    } catch (RuntimeException e) {
      throw new InvalidKubeconfig("kubeconfig " + file + " is not a kubeconfig: " + e.getMessage());
    }
    if (parsed == null || parsed.getContexts() == null || parsed.getContexts().isEmpty()) {
      throw new InvalidKubeconfig("kubeconfig " + file + " has no contexts");
    }
    return parsed.getContexts().stream().map(NamedContext::getName).toList();
  }

  /** A kubeconfig that cannot be used; the message is the line the person reads. */
  private static final class InvalidKubeconfig extends Exception {

    private static final long serialVersionUID = 1L;

    InvalidKubeconfig(String message) {
      super(message);
    }
  }
}
