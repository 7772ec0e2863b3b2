package dev.kgate.cli.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.policy.Decision;
import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.Subjects;
import dev.kgate.auth.policy.WhoCan;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kgate policy who-can}: the roles whose rules allow a request on a cluster, with their
 * subjects and the login each demands, and the roles whose deny rules forbid it ({@link WhoCan}).
 * Group membership lives in the IdP, so the policy cannot say which people hold both an allowing
 * and a denying role; both lists are printed, and the blocked users and groups after them.
 */
@Command(name = "who-can", description = "List the roles, and their users and groups, that may make a request.")
final class WhoCanCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Mixin private RequestQuestion question;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      Policy policy = question.loadPolicy();
      String cluster = question.cluster();
      RequestAttributes attributes = question.attributes();
      String request = RequestQuestion.describe(attributes, cluster);
      if (question.configuredClusters().filter(clusters -> !clusters.contains(cluster)).isPresent()) {
        out.println("who may " + request + ":");
        out.println("nobody: the gateway configuration has no cluster " + cluster);
      } else {
        print(out, policy.whoCan(cluster, attributes), request);
      }
      out.flush();
      return 0;
    } catch (InvalidQuestion invalid) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("kgate: " + invalid.getMessage());
      err.flush();
      return PolicyCommand.EXIT_CANNOT_ANSWER;
    }
  }

  private static void print(PrintWriter out, WhoCan answer, String request) {
    out.println("who may " + request + ":");
    if (answer.allowing().isEmpty()) {
      out.println("allowed by: no role");
    } else {
      out.println("allowed by:");
      for (WhoCan.Grant grant : answer.allowing()) {
        String rule = grant.ruleIndex() == Decision.Allowed.DISCOVERY_RULE
            ? "discovery"
            : "rules[" + grant.ruleIndex() + "]";
        String login = grant.login().demandsAnything() ? "; login needed: " + LoginText.describe(grant.login()) : "";
        out.println("  " + grant.role() + " " + rule + ": " + subjects(grant.subjects()) + login);
      }
    }
    if (!answer.denying().isEmpty()) {
      out.println("denied by (these roles' holders are refused, whatever else they hold):");
      for (WhoCan.Grant grant : answer.denying()) {
        out.println("  " + grant.role() + " deny[" + grant.ruleIndex() + "]: " + subjects(grant.subjects()));
      }
    }
    if (!answer.blocked().isEmpty()) {
      out.println("blocked (refused on every request): " + subjects(answer.blocked()));
    }
  }

  /** "users alice@example.com; groups sre", or "no subjects". */
  private static String subjects(Subjects subjects) {
    List<String> parts = new ArrayList<>(2);
    if (!subjects.users().isEmpty()) {
      parts.add("users " + String.join(", ", subjects.users()));
    }
    if (!subjects.groups().isEmpty()) {
      parts.add("groups " + String.join(", ", subjects.groups()));
    }
    return parts.isEmpty() ? "no subjects" : String.join("; ", parts);
  }
}
