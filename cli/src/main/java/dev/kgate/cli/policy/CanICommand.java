package dev.kgate.cli.policy;

import dev.kgate.auth.attributes.RequestAttributes;
import dev.kgate.auth.policy.Decision;
import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyEngine;
import dev.kgate.auth.policy.Subject;
import dev.kgate.auth.text.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code kgate policy can-i}: whether a person may make a request, decided by the gateway's own
 * {@link PolicyEngine}. Prints {@code yes} or {@code no} on the first line, then what decided:
 * the role and rule, the impersonated user and groups and the login the rule demands; or, for a
 * step-up, the login that would be needed; or the denial the person would read and why. Exit code
 * 0 for yes and 1 for no, like {@code kubectl auth can-i}; {@value PolicyCommand#EXIT_CANNOT_ANSWER}
 * when the question cannot be asked. The person's login is described by {@code --mfa},
 * {@code --auth-age} and {@code --acr}; by default a login made just now, without a second factor.
 */
@Command(name = "can-i", description = "Say whether a person may make a request, as the gateway would decide it.")
final class CanICommand implements Callable<Integer> {

  static final int EXIT_YES = 0;
  static final int EXIT_NO = 1;

  @Spec private CommandSpec spec;

  @Mixin private RequestQuestion question;

  @Option(names = "--user", required = true, paramLabel = "USER",
      description = "The person's user name as the gateway maps it (prefix applied).")
  private String user;

  @Option(names = "--group", paramLabel = "GROUP",
      description = "A group of the person, as mapped (repeat for more); system:authenticated is implied.")
  private List<String> groups = new ArrayList<>();

  @Option(names = "--mfa", description = "The person logged in with a second factor the policy's mfaMethods accept.")
  private boolean mfa;

  @Option(names = "--auth-age", paramLabel = "AGE", converter = AgeConverter.class,
      description = "How long ago the person logged in, e.g. 5m or 1h (default: just now).")
  private Duration authAge = Duration.ZERO;

  @Option(names = "--acr", paramLabel = "ACR", description = "The acr value of the person's login (default: none).")
  private String acr;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      Policy policy = question.loadPolicy();
      String cluster = question.cluster();
      RequestAttributes attributes = question.attributes();
      Instant now = Instant.now();
      Subject subject = new Subject(
          user, Set.copyOf(groups), mfa ? Set.copyOf(policy.mfaMethods()) : Set.of(), acr, now.minus(authAge));
      Decision decision = question.configuredClusters().filter(clusters -> !clusters.contains(cluster)).isPresent()
          // What the gateway answers for a cluster it does not configure, whatever the policy's globs cover.
          ? new Decision.Denied(Decision.Denied.Reason.NO_ACCESS_TO_CLUSTER,
              Decision.Denied.noAccessToCluster(cluster).message(),
              "the gateway configuration has no cluster " + cluster)
          : new PolicyEngine(policy, Clock.fixed(now, ZoneOffset.UTC)).decide(subject, cluster, attributes);
      int exitCode = print(out, decision, RequestQuestion.describe(attributes, cluster));
      out.flush();
      return exitCode;
    } catch (InvalidQuestion invalid) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("kgate: " + invalid.getMessage());
      err.flush();
      return PolicyCommand.EXIT_CANNOT_ANSWER;
    }
  }

  private int print(PrintWriter out, Decision decision, String request) {
    if (decision instanceof Decision.Allowed allowed) {
      out.println("yes");
      out.println("request: " + request);
      out.println("role: " + allowed.role());
      out.println(allowed.byDiscoveryDefault()
          ? "rule: discovery (the policy allows discovery to everyone holding a role on the cluster)"
          : "rule: rules[" + allowed.ruleIndex() + "]");
      out.println("impersonate: user " + user + (allowed.impersonatedGroups().isEmpty()
          ? ", no groups"
          : ", groups " + String.join(", ", allowed.impersonatedGroups())));
      out.println("login needed: " + LoginText.describe(allowed.needed()));
      return EXIT_YES;
    }
    out.println("no");
    out.println("request: " + request);
    if (decision instanceof Decision.StepUpRequired stepUp) {
      out.println("step-up: allowed after a stronger login");
      out.println("role: " + stepUp.role());
      out.println("rule: rules[" + stepUp.ruleIndex() + "]");
      out.println("login needed: " + LoginText.describe(stepUp.needed()));
    } else {
      Decision.Denied denied = (Decision.Denied) decision;
      out.println("denied: " + denied.message());
      out.println("why: " + denied.detail());
    }
    return EXIT_NO;
  }

  /** Reads {@code --auth-age} in the configuration's notation ({@code 90s}, {@code 5m}, {@code 1h}). */
  static final class AgeConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value)
          .orElseThrow(() -> new TypeConversionException("expected " + Durations.EXPECTED + ", was '" + value + "'"));
    }
  }
}
