package dev.kgate.cli.rbac;

import dev.kgate.auth.IssuerSettings;
import dev.kgate.auth.policy.Policy;
import dev.kgate.auth.policy.PolicyError;
import dev.kgate.auth.policy.PolicyException;
import dev.kgate.auth.policy.PolicyLoader;
import dev.kgate.gateway.config.ConfigError;
import dev.kgate.gateway.config.ConfigException;
import dev.kgate.gateway.config.ConfigLoader;
import dev.kgate.gateway.config.GatewayConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kgate rbac gateway-role --policy FILE [--config GATEWAY_YAML] [--name NAME]}: prints the
 * gateway's least-privilege ClusterRole for this policy ({@link GatewayRole}) as YAML, ready for
 * {@code kubectl apply -f -}. With {@code --config}, the extra keys its issuers send
 * ({@code claims.extra}) are granted too; the configuration is read with the gateway's own loader,
 * so it must be valid where this runs. Exit code 0, or {@value RbacCommand#EXIT_FAILED} when the
 * policy or the configuration is invalid.
 */
@Command(name = "gateway-role", description = "Print the gateway's own least-privilege ClusterRole for a policy.")
final class GatewayRoleCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The policy file (YAML).")
  private Path policyFile;

  @Option(names = "--config", paramLabel = "GATEWAY_YAML",
      description = "The gateway configuration: also grant the extra keys its issuers send (claims.extra).")
  private Path config;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = GatewayRole.DEFAULT_NAME,
      description = "The ClusterRole's name (default: ${DEFAULT-VALUE}, as in deploy/kustomize).")
  private String name;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Policy policy;
    try {
      policy = PolicyLoader.load(policyFile);
    } catch (PolicyException invalid) {
      for (PolicyError error : invalid.errors()) {
        err.println("kgate: policy " + policyFile + ": " + error);
      }
      return RbacCommand.EXIT_FAILED;
    }
    Set<String> extraKeys = new TreeSet<>();
    if (config != null) {
      try {
        extraKeys.addAll(extraKeys(ConfigLoader.load(config)));
      } catch (ConfigException invalid) {
        for (ConfigError error : invalid.errors()) {
          err.println("kgate: gateway configuration " + config + ": " + error);
        }
        return RbacCommand.EXIT_FAILED;
      }
    }
    out.print(GatewayRole.yaml(GatewayRole.of(policy, extraKeys, name), policyFile.toString(), config != null));
    out.flush();
    return 0;
  }

  private static List<String> extraKeys(GatewayConfig config) {
    return config.issuers().stream()
        .flatMap(issuer -> issuer.claims().extra().stream())
        .map(IssuerSettings.ClaimMapping::extraKey)
        .toList();
  }
}
