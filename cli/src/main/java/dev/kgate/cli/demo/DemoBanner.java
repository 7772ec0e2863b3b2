package dev.kgate.cli.demo;

import dev.kgate.sim.cluster.SimSeed;
import dev.kgate.sim.idp.LoginPageIdp;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code kgate demo} prints once everything runs: where things are, and the exact commands to
 * try, each on its own line as {@code "  $ <command>"} so they can be copied (and so the demo's
 * test can find and run every one of them). Pod names are the ones the simulated clusters seed.
 */
public record DemoBanner(
    int port, List<String> clusters, URI idp, List<LoginPageIdp.User> users, Path kubeconfig, Path sampleFile,
    Path auditDir) {

  /** The prefix of every command line. */
  public static final String COMMAND_PREFIX = "  $ ";
  /** The last line; everything before it is printed before the demo is ready for kubectl. */
  public static final String LAST_LINE = "Ctrl-C stops the demo.";
  /** The local port the port-forward example uses. */
  public static final int LOCAL_FORWARD_PORT = 8080;

  /** A pod with a single container, so logs and exec need no {@code -c}. */
  static final String POD = SimSeed.SINGLE_CONTAINER_POD;
  /** A pod with an app container and a sidecar. */
  static final String SIDECAR_POD = SimSeed.SIDECAR_POD;
  /** The namespace both pods are in. */
  static final String NAMESPACE = "payments";

  public DemoBanner {
    clusters = List.copyOf(clusters);
    Objects.requireNonNull(idp, "idp");
    users = List.copyOf(users);
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(sampleFile, "sampleFile");
    Objects.requireNonNull(auditDir, "auditDir");
    if (users.isEmpty()) {
      throw new IllegalArgumentException("the demo needs a user");
    }
  }

  /** Every line, in order. */
  public List<String> lines() {
    String sample = sampleFile.getFileName().toString();
    LoginPageIdp.User first = users.get(0);
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("kgate demo is running");
    lines.add("  gateway   https://" + Demo.ADDRESS + ":" + port + "  (clusters: " + String.join(", ", clusters) + ")");
    lines.add("  IdP       " + idp + "  (built in, with a login page)");
    for (LoginPageIdp.User user : users) {
      lines.add((user == first ? "  users     " : "            ") + user.username() + " / " + user.password()
          + "  (groups: " + String.join(", ", user.groups()) + "; "
          + (user.oneTimeCode() != null ? "one-time code " + user.oneTimeCode() + " when asked" : "no second factor") + ")");
    }
    lines.add("  files     " + kubeconfig.getParent());
    lines.add("");
    lines.add("Try, in another terminal. First sign in as " + first.username()
        + " (the login page opens, or its address is printed):");
    command(lines, "export KUBECONFIG=" + ShellWords.quote(kubeconfig.toString()));
    command(lines, "./kgate login");
    command(lines, "kubectl get pods -n " + NAMESPACE);
    command(lines, "kubectl get deployments -A --context " + Demo.STAGING);
    command(lines, "kubectl get pod " + SIDECAR_POD + " -n " + NAMESPACE + " -o yaml");
    lines.add("");
    lines.add("Watch pods, and create one from a third terminal while the watch runs:");
    command(lines, "kubectl get pods -n default -w");
    command(lines, "kubectl run hello --image=nginx -n default");
    command(lines, "kubectl logs -f -n " + NAMESPACE + " " + POD);
    lines.add("");
    lines.add("The demo policy (" + kubeconfig.getParent().resolve("policy.yaml")
        + ", edit it live) keeps even sre out of kube-system's secrets:");
    command(lines, "kubectl get secrets -n kube-system");
    lines.add("");
    lines.add("Running commands in pods needs a second factor; kubectl says how to get one:");
    command(lines, "kubectl exec -n " + NAMESPACE + " " + POD + " -- hostname");
    command(lines, "./kgate login --mfa --max-age 1h");
    lines.add("");
    lines.add("Signed in again with the one-time code, run commands in a pod and copy a file in:");
    command(lines, "echo hi | kubectl exec -i -n " + NAMESPACE + " " + POD + " -- cat");
    command(lines, "kubectl exec -it -n " + NAMESPACE + " " + POD + " -- sh");
    command(lines, "kubectl cp " + ShellWords.quote(sampleFile.toString()) + " " + NAMESPACE + "/" + POD + ":/tmp/" + sample);
    command(lines, "kubectl exec -n " + NAMESPACE + " " + POD + " -- cat /tmp/" + sample);
    lines.add("");
    lines.add("Forward a local port to the pod's port 80, then call it from another terminal:");
    command(lines, "kubectl port-forward -n " + NAMESPACE + " pod/" + SIDECAR_POD + " " + LOCAL_FORWARD_PORT + ":80");
    command(lines, "curl -s localhost:" + LOCAL_FORWARD_PORT);
    lines.add("");
    lines.add("Every request, allowed or refused, is in " + first.email() + "'s own audit log; from this directory:");
    command(lines, "./kgate audit query --dir " + ShellWords.quote(auditDir.toString()) + " --since 1h");
    lines.add("");
    lines.add("To see what " + (users.size() > 1 ? users.get(1).username() : "another user") + " may do, run ./kgate logout,"
        + " then ./kgate login again as them.");
    lines.add(LAST_LINE);
    return lines;
  }

  /** Just the commands, without the {@code "  $ "} prefix. */
  public List<String> commands() {
    return lines().stream()
        .filter(line -> line.startsWith(COMMAND_PREFIX))
        .map(line -> line.substring(COMMAND_PREFIX.length()))
        .toList();
  }

  private static void command(List<String> lines, String command) {
    lines.add(COMMAND_PREFIX + command);
  }
}
