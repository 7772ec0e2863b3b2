package dev.kgate.cli.policy;

import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyError;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLint;
import dev.kgate.auth.policy.PolicyLoader;
import dev.kgate.auth.policy.PolicyWarning;
import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kgate policy check FILE [--config GATEWAY_YAML]}: loads the policy as the gateway would
 * and prints every error with its key path; for a policy that loads, prints {@link PolicyLint}'s
 * warnings (legal but probably a mistake). With {@code --config}, also warns about cluster names
 * and globs that match no cluster of that gateway configuration, read with the gateway's own
 * {@link ConfigLoader} (so the configuration must be valid on this machine, files included). Exit
 * code 0 when valid, warnings or not; {@value #EXIT_ERRORS} when the policy or the configuration
 * has errors.
 */
@Command(name = "check", description = "Validate a policy file and warn about likely mistakes.")
final class CheckCommand implements Callable<Integer> {

  static final int EXIT_VALID = 0;
  static final int EXIT_ERRORS = 1;

  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The policy file (YAML).")
  private Path file;

  @Option(names = "--config", paramLabel = "GATEWAY_YAML",
      description = "The gateway configuration: also warn about policy clusters that match none of its clusters.")
  private Path config;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Set<String> knownClusters = null;
    int configErrors = 0;
    if (config != null) {
      try {
        knownClusters = clusterNames(ConfigLoader.load(config));
      } catch (ConfigException invalid) {
        for (ConfigError error : invalid.errors()) {
          out.println("error: gateway configuration " + config + ": " + error);
        }
        configErrors = invalid.errors().size();
      }
    }
    int policyErrors = 0;
    try {
      Policy policy = PolicyLoader.load(file);
      List<PolicyWarning> warnings = PolicyLint.check(policy, knownClusters);
      warnings.forEach(warning -> out.println("warning: " + warning));
      out.println(file + ": valid" + (warnings.isEmpty() ? "" : ", " + count(warnings.size(), "warning")));
    } catch (PolicyException invalid) {
      for (PolicyError error : invalid.errors()) {
        out.println("error: " + error);
      }
      policyErrors = invalid.errors().size();
      out.println(file + ": invalid, " + count(policyErrors, "error"));
    }
    if (configErrors > 0) {
      out.println(config + ": invalid, " + count(configErrors, "error") + "; cluster names not checked");
    }
    out.flush();
    return policyErrors + configErrors == 0 ? EXIT_VALID : EXIT_ERRORS;
  }

  private static Set<String> clusterNames(GatewayConfig config) {
    return config.clusters().stream().map(GatewayConfig.Cluster::name).collect(Collectors.toUnmodifiableSet());
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
